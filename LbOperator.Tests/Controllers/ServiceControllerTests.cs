using LbOperator.Finalizers;
using LbOperator.LoadBalancing;

namespace LbOperator.Tests.Controllers;

/// <summary>The Service controller and finalizer against the sandbox: allocation, records, gateway and status.</summary>
[NonParallelizable]
[Category("Sandbox")]
public sealed class ServiceControllerTests : OperatorTestBase
{
    [Test]
    public async Task Allocates_Lowest_Free_Address_Records_It_And_Creates_The_Gateway()
    {
        await CreateNadAsync();
        await CreateSubnetAsync("a");
        await CreateServiceAsync(LbService("web"));

        var service = await WaitForIngressAsync("web", "192.168.10.11");
        var record = (await RecordsAsync()).Should().ContainSingle().Subject;
        record.Metadata.Name.Should().Be($"192-168-10-11.{SubnetName("a")}");
        record.Spec.Subnet.Should().Be(SubnetName("a"));
        record.Spec.Address.Should().Be("192.168.10.11");
        record.Spec.Family.Should().Be("IPv4");
        record.Spec.Service!.Name.Should().Be("web");
        record.Spec.Service.Uid.Should().Be(service.Metadata.Uid);
        record.Metadata.OwnerReferences.Should().BeNullOrEmpty("a cluster-scoped object may not name a namespaced owner");
        service.Metadata.Annotations.Should().NotContainKey(ServiceRecord.AllocatedAddresses, "the record is no longer on the Service, where a tenant could forge it");
        service.Metadata.Finalizers.Should().Contain(ServiceFinalizer.Identifier);
        var gateway = await GetGatewayAsync("web");
        gateway.Should().NotBeNull();
        var annotations = gateway!.Spec.Template.Metadata.Annotations;
        annotations.Should().ContainKey(Annotations.MultusNetworks);
        annotations[Annotations.MultusNetworks].Should().Contain($"\"name\":\"lb\"").And.Contain($"\"namespace\":\"{Ns}\"").And.Contain("net1");
        annotations.Should().Contain(Annotations.IpAddress(Provider), "192.168.10.11")
            .And.Contain(Annotations.LogicalSwitch(Provider), SubnetName("a"))
            .And.Contain(Annotations.Cidr(Provider), "192.168.10.0/24")
            .And.Contain(Annotations.Gateway(Provider), "192.168.10.1");
        gateway.Metadata.OwnerReferences.Should().ContainSingle(o => o.Kind == "Service" && o.Uid == service.Metadata.Uid && o.Controller == true);
        (await WaitForEventAsync("web", EventReasons.AddressAllocated)).Type.Should().Be("Normal");
    }

    [Test]
    public async Task Static_Address_Held_By_Another_Service_Stays_With_Its_Holder()
    {
        await CreateNadAsync();
        await CreateSubnetAsync("a");
        await CreateServiceAsync(LbService("first", loadBalancerIp: "192.168.10.50"));
        await WaitForIngressAsync("first", "192.168.10.50");

        await CreateServiceAsync(LbService("second", loadBalancerIp: "192.168.10.50"));
        var warning = await WaitForEventAsync("second", EventReasons.AddressConflict);
        warning.Type.Should().Be("Warning");
        warning.Message.Should().Contain("192.168.10.50").And.Contain($"{Ns}/first");
        var second = await GetServiceAsync("second");
        Ingress(second).Should().BeEmpty();
        LoadBalancerCondition(second)!.Reason.Should().Be(EventReasons.AddressConflict);
        Ingress(await GetServiceAsync("first")).Should().Equal("192.168.10.50");
        (await GetGatewayAsync("second")).Should().BeNull();
    }
}
