using System.Net;
using k8s.Models;
using LbOperator.Entities;
using LbOperator.Ipam;
using LbOperator.LoadBalancing;

namespace LbOperator.Tests.LoadBalancing;

/// <summary>The Vip that reserves a recorded address in Kube-OVN's IPAM, and what a Vip of that name says.</summary>
[Category("Unit")]
public sealed class AddressReservationsTests
{
    private static V1IpAllocation Record(string address, string uid = "rec-1")
    {
        var record = AllocationRecords.Build(new IpamOwner("default", "web", "svc-uid"), "attach-subnet", IPAddress.Parse(address));
        record.Metadata.Uid = uid;
        return record;
    }

    private static AllocationRecord Read(V1IpAllocation record) => AllocationRecords.Read(record)!;

    [Test]
    public void The_Vip_Is_Named_After_Its_Record_Owned_By_It_And_Asks_For_The_Address_With_No_Type_Or_Namespace()
    {
        var vip = AddressReservations.Build(Record("172.18.0.18"));
        vip.Metadata.Name.Should().Be("172-18-0-18.attach-subnet");
        vip.Metadata.OwnerReferences.Should().ContainSingle().Which.Should().BeEquivalentTo(new V1OwnerReference
        {
            ApiVersion = "lboperator.io/v1", Kind = "IpAllocation", Name = "172-18-0-18.attach-subnet", Uid = "rec-1", BlockOwnerDeletion = false, Controller = true,
        });
        vip.Metadata.Labels.Should().Equal(new Dictionary<string, string>
        {
            ["app.kubernetes.io/managed-by"] = "lb-operator",
            [AddressReservations.ServiceNamespaceLabel] = "default",
            [AddressReservations.ServiceNameLabel] = "web",
        });
        vip.Spec.Should().BeEquivalentTo(new V1KubeOvnVipSpec { Subnet = "attach-subnet", V4Ip = "172.18.0.18" });
        k8s.KubernetesJson.Serialize(vip.Spec).Should().Be("""{"subnet":"attach-subnet","v4ip":"172.18.0.18"}""");

        var v6 = AddressReservations.Build(Record("fd00::12"));
        v6.Spec.Should().BeEquivalentTo(new V1KubeOvnVipSpec { Subnet = "attach-subnet", V6Ip = "fd00::12" });
        AddressReservations.IsOurs(v6).Should().BeTrue();
    }

    [Test]
    public void A_Record_Not_Yet_Stored_Owns_No_Vip()
    {
        var act = () => AddressReservations.Build(Record("172.18.0.18", uid: null!));
        act.Should().Throw<ArgumentException>().WithMessage("*has no uid*");
    }

    [Test]
    public void What_The_Vip_Of_The_Records_Name_Says()
    {
        var record = Record("172.18.0.18");
        var vip = AddressReservations.Build(record);
        AddressReservations.StateOf(null, Read(record)).Should().Be(ReservationState.Missing);
        AddressReservations.StateOf(vip, Read(record)).Should().Be(ReservationState.Unconfirmed);

        vip.Status = new V1KubeOvnVipStatus { V4Ip = "172.18.0.18" };
        AddressReservations.StateOf(vip, Read(record)).Should().Be(ReservationState.Confirmed);
        vip.Status = new V1KubeOvnVipStatus { V4Ip = "172.18.0.19" };
        AddressReservations.StateOf(vip, Read(record)).Should().Be(ReservationState.Unconfirmed, "Kube-OVN holds another address for it");

        var earlier = AddressReservations.Build(Record("172.18.0.18", uid: "rec-0"));
        earlier.Status = new V1KubeOvnVipStatus { V4Ip = "172.18.0.18" };
        AddressReservations.StateOf(earlier, Read(record)).Should().Be(ReservationState.Stale, "it reserves the address for an earlier record");
        vip.Metadata.DeletionTimestamp = DateTime.UtcNow;
        AddressReservations.StateOf(vip, Read(record)).Should().Be(ReservationState.Stale);

        var foreign = new V1KubeOvnVip { Metadata = new V1ObjectMeta { Name = "172-18-0-18.attach-subnet" }, Spec = new V1KubeOvnVipSpec { V4Ip = "172.18.0.18" } };
        AddressReservations.IsOurs(foreign).Should().BeFalse();
        AddressReservations.StateOf(foreign, Read(record)).Should().Be(ReservationState.Foreign);
    }
}
