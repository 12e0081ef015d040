using System.Net;
using k8s.Models;
using LbOperator.Entities;
using LbOperator.Ipam;
using LbOperator.LoadBalancing;

namespace LbOperator.Tests.LoadBalancing;

[Category("Unit")]
public sealed class AllocationRecordsTests
{
    private static readonly IpamOwner Web = new("shop", "web", "uid-web");
    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch;

    private static IPAddress Ip(string text) => IPAddress.Parse(text);

    private static AllocationRecord Record(string address, string subnet = "attach-subnet", int minutes = 0, IpamOwner? owner = null) =>
        new(AllocationRecordNames.For(Ip(address), subnet), owner ?? Web, subnet, Ip(address), T0.AddMinutes(minutes));

    private static V1Service Service(IpamOwner owner) =>
        new() { Metadata = new V1ObjectMeta { NamespaceProperty = owner.Namespace, Name = owner.Name, Uid = owner.Uid } };

    [Test]
    public void A_Built_Record_Reads_Back()
    {
        var built = AllocationRecords.Build(Web, "attach-subnet", Ip("fd00::12"));
        built.Metadata.Name.Should().Be("fd00-0-0-0-0-0-0-12.attach-subnet");
        built.Spec.Family.Should().Be("IPv6");
        built.Spec.Address.Should().Be("fd00::12");
        built.Metadata.OwnerReferences.Should().BeNull("a cluster-scoped object may not name a namespaced owner");
        var read = AllocationRecords.Read(built)!;
        read.Owner.Should().Be(Web);
        read.Subnet.Should().Be("attach-subnet");
        read.Address.Should().Be(Ip("fd00::12"));
        AllocationRecords.Says(built, Web, "attach-subnet", Ip("fd00::12")).Should().BeTrue();
        AllocationRecords.Says(built, Web with { Uid = "uid-other" }, "attach-subnet", Ip("fd00::12")).Should().BeFalse();
    }

    [Test]
    public void An_Object_Not_In_The_Operators_Form_Is_Not_A_Record()
    {
        V1IpAllocation Edited(Action<V1IpAllocation> edit)
        {
            var record = AllocationRecords.Build(Web, "attach-subnet", Ip("172.18.0.18"));
            edit(record);
            return record;
        }

        AllocationRecords.Read(Edited(r => r.Spec.Address = "172.18.0.19")).Should().BeNull("the name says another address");
        AllocationRecords.Read(Edited(r => r.Spec.Subnet = "other")).Should().BeNull("the name says another Subnet");
        AllocationRecords.Read(Edited(r => r.Metadata.Name = "web")).Should().BeNull();
        AllocationRecords.Read(Edited(r => r.Spec.Address = "172.18.0.018")).Should().BeNull();
        AllocationRecords.Read(Edited(r => r.Spec.Service = null)).Should().BeNull();
        AllocationRecords.Read(Edited(r => r.Spec.Service!.Uid = "")).Should().BeNull();
    }

    [Test]
    public void A_Service_Adopts_The_Newest_Record_Of_Each_Family_In_The_Subnet_Of_Its_Newest_Record()
    {
        var adopted = AllocationRecords.Adoptable(Web, T0, [
            Record("fd00::5", minutes: 1),
            Record("10.0.0.5", minutes: 1),
            Record("10.0.0.9", minutes: 3),
            Record("10.1.0.5", subnet: "old", minutes: 2),
        ])!;
        adopted.Subnet.Should().Be("attach-subnet");
        adopted.Addresses.Should().Equal(Ip("10.0.0.9"), Ip("fd00::5"));
        adopted.Source.Should().Be(RecordSource.OperatorRecord);
        AllocationRecords.Adoptable(Web, T0, []).Should().BeNull();
    }

    [Test]
    public void A_Record_Stays_While_Its_Service_Holds_Or_Announces_The_Address()
    {
        var record = Record("10.0.0.5");
        var holding = new IpamHolding(Web, "attach-subnet", [Ip("10.0.0.5")]);
        AllocationRecords.IsNeeded(record, Service(Web), holding, []).Should().BeTrue("held");
        AllocationRecords.IsNeeded(record, Service(Web), null, [Ip("10.0.0.5")]).Should().BeTrue("announced by its gateway");
        AllocationRecords.IsNeeded(record, Service(Web), new IpamHolding(Web, "attach-subnet", [Ip("10.0.0.6")]), [Ip("10.0.0.6")])
            .Should().BeFalse("a leftover of a move");
        AllocationRecords.IsNeeded(record, Service(Web), new IpamHolding(Web, "other", [Ip("10.0.0.5")]), []).Should().BeFalse("held in another Subnet");
        AllocationRecords.IsNeeded(record, null, holding, [Ip("10.0.0.5")]).Should().BeFalse("the Service is gone");
        AllocationRecords.IsNeeded(record, Service(Web with { Uid = "uid-new" }), holding, [Ip("10.0.0.5")])
            .Should().BeFalse("a Service of the same name created again is another Service");
    }
}
