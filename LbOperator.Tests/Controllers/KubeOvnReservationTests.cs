using k8s.Models;
using LbOperator.Entities;
using LbOperator.LoadBalancing;
using LbOperator.Tests.Testing;

namespace LbOperator.Tests.Controllers;

/// <summary>
/// Beside Kube-OVN every address LbOperator hands out is reserved in Kube-OVN's IPAM by a Vip, and no gateway starts
/// announcing it before Kube-OVN has confirmed the Vip; the Vip goes with the Service.
/// </summary>
[Category("Kubectl")]
[NonParallelizable]
public sealed class KubeOvnReservationTests : KubeOvnClusterTestBase
{
    [Test]
    public async Task Each_Address_Is_Reserved_By_A_Vip_Before_Its_Gateway_Starts_And_The_Vip_Goes_With_The_Service()
    {
        KubeOvn.Paused = true;
        await CreateNadAsync();
        await CreateSubnetAsync("a");
        await CreateServiceAsync(LbService("web"));

        var record = (await Eventually(RecordsAsync, r => r.Count == 1, "the Service's record")).Single();
        var vip = (await Eventually(() => Client.GetAsync<V1KubeOvnVip>(record.Metadata.Name), v => v is not null, "the Vip reserving its address"))!;
        vip.Spec!.Subnet.Should().Be(SubnetName("a"));
        vip.Spec.V4Ip.Should().Be("192.168.10.11");
        vip.Spec.V6Ip.Should().BeNull();
        vip.Metadata.OwnerReferences.Should().ContainSingle(o => o.Kind == "IpAllocation" && o.Uid == record.Metadata.Uid && o.Name == record.Metadata.Name);
        vip.Metadata.Labels.Should().Contain(AddressReservations.ServiceNamespaceLabel, Ns).And.Contain(AddressReservations.ServiceNameLabel, "web");
        // A Vip with a type, or with a namespace, would get a logical switch port from Kube-OVN.
        var spec = await Kubectl.RunOkAsync("get", "vip", record.Metadata.Name, "-o", "jsonpath={.spec}");
        spec.Should().NotContain("namespace").And.NotContain("type");

        // Kube-OVN has not confirmed it: no gateway, and past the grace the Service says why.
        var waiting = await Eventually(() => GetServiceAsync("web"),
            s => LoadBalancerCondition(s)?.Reason == EventReasons.AddressNotReserved, "the Service to say its address is not reserved");
        LoadBalancerCondition(waiting)!.Message.Should().Contain($"Kube-OVN has not reserved 192.168.10.11 of subnet {SubnetName("a")} for Vip {record.Metadata.Name}");
        (await WaitForEventAsync("web", EventReasons.AddressNotReserved)).Type.Should().Be("Warning");
        (await GetGatewayAsync("web")).Should().BeNull("no gateway announces an address Kube-OVN has not reserved");

        KubeOvn.Paused = false;
        await WaitForIngressAsync("web", "192.168.10.11");
        (await GetGatewayAsync("web")).Should().NotBeNull();

        // A Vip deleted by hand is made again.
        var first = (await Client.GetAsync<V1KubeOvnVip>(record.Metadata.Name))!.Metadata.Uid;
        await Client.DeleteAsync<V1KubeOvnVip>(record.Metadata.Name);
        await Eventually(() => Client.GetAsync<V1KubeOvnVip>(record.Metadata.Name),
            v => v is not null && v.Metadata.Uid != first && v.Status?.V4Ip == "192.168.10.11", "the Vip to be made again and confirmed");

        // The Service goes: its record, and with it the Vip (Kube-OVN releases the address as it drops its finalizer).
        await Client.DeleteAsync<V1Service>("web", Ns);
        await Eventually(() => Client.GetAsync<V1KubeOvnVip>(record.Metadata.Name), v => v is null, "the Vip to be gone", 15);
        (await RecordsAsync()).Should().BeEmpty();
    }

    [Test]
    public async Task An_Address_Kube_Ovn_Gave_A_Pod_Before_It_Saw_The_Vip_Is_Not_Announced_Until_The_Pod_Lets_Go()
    {
        KubeOvn.Paused = true;
        await CreateNadAsync();
        await CreateSubnetAsync("b");
        await CreateServiceAsync(LbService("late"));
        var record = (await Eventually(RecordsAsync, r => r.Count == 1, "the Service's record")).Single();
        await Eventually(() => Client.GetAsync<V1KubeOvnVip>(record.Metadata.Name), v => v is not null, "the Vip");

        // Kube-OVN gave the same address to a pod before it looked at the Vip: it refuses the Vip.
        var ip = $"db-0.{Ns}.{Provider}";
        await Client.CreateAsync(new V1KubeOvnIp
        {
            Metadata = new V1ObjectMeta { Name = ip },
            Spec = new V1KubeOvnIpSpec { Subnet = SubnetName("b"), V4IpAddress = "192.168.10.11", PodName = "db-0", Namespace = Ns },
        });
        KubeOvn.Paused = false;

        var waiting = await Eventually(() => GetServiceAsync("late"),
            s => LoadBalancerCondition(s)?.Reason == EventReasons.AddressNotReserved, "the Service to say its address is not reserved");
        LoadBalancerCondition(waiting)!.Message.Should().Contain("its IPAM holds the address for something else");
        Ingress(waiting).Should().BeEmpty();
        (await GetGatewayAsync("late")).Should().BeNull("the address is the pod's in Kube-OVN's IPAM");
        (await Client.GetAsync<V1KubeOvnVip>(record.Metadata.Name))!.Status?.V4Ip.Should().BeNull();

        await Client.DeleteAsync<V1KubeOvnIp>(ip);
        await WaitForIngressAsync("late", "192.168.10.11");
    }
}
