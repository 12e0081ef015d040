using k8s.Models;
using LbOperator.Controllers;
using LbOperator.Entities;
using LbOperator.Finalizers;
using LbOperator.Framework.Entities;
using LbOperator.LoadBalancing;

namespace LbOperator.Tests.Controllers;

/// <summary>The Subnet controller and finalizer: status true to the IPAM, validation, edits, deletion, Kube-OVN's Subnets.</summary>
[NonParallelizable]
[Category("Sandbox")]
public sealed class SubnetControllerTests : OperatorTestBase
{
    private Task<V1Subnet> WaitForSubnetAsync(string name, Func<V1Subnet, bool> condition, string what) =>
        Eventually(async () => (await Client.GetAsync<V1Subnet>(name))!, condition, what);

    private static V1Condition? Condition(V1Subnet subnet, string type) => ConditionList.Find(subnet.Status?.Conditions, type);

    [Test]
    public async Task Status_Shows_The_Figures_Of_The_IPAM_And_Ready_Conditions()
    {
        await CreateNadAsync();
        await CreateSubnetAsync("a");
        var subnet = await WaitForSubnetAsync(SubnetName("a"), s => s.Status?.V4AvailableIPs == 244, "the Subnet's figures");
        subnet.Status!.V4UsingIPs.Should().Be(0);
        subnet.Status.V4AvailableIPRange.Should().Be("192.168.10.11-192.168.10.254");
        Condition(subnet, SubnetStatusWriter.Ready)!.Status.Should().Be("True");
        Condition(subnet, SubnetStatusWriter.Validated)!.Status.Should().Be("True");
        Condition(subnet, SubnetStatusWriter.Error)!.Status.Should().Be("False");
        subnet.Metadata.Finalizers.Should().Contain(SubnetFinalizer.Identifier);

        await CreateServiceAsync(LbService("web"));
        await CreateServiceAsync(LbService("api", loadBalancerIp: "192.168.10.100"));
        subnet = await WaitForSubnetAsync(SubnetName("a"), s => s.Status?.V4UsingIPs == 2, "two addresses in use");
        subnet.Status!.V4AvailableIPs.Should().Be(242);
        subnet.Status.V4UsingIPRange.Should().Be("192.168.10.11,192.168.10.100");
    }

    [Test]
    public async Task Invalid_Subnet_Shows_Validated_False_And_A_Warning_Event()
    {
        await CreateSubnetAsync("bad", cidr: "192.168.10.0/24", gateway: "192.168.10.0");
        var subnet = await WaitForSubnetAsync(SubnetName("bad"),
            s => Condition(s, SubnetStatusWriter.Validated)?.Status == "False", "Validated=False");
        var validated = Condition(subnet, SubnetStatusWriter.Validated)!;
        validated.Reason.Should().Be(EventReasons.ValidationFailed);
        validated.Message.Should().Contain("spec.gateway").And.Contain("192.168.10.0");
        Condition(subnet, SubnetStatusWriter.Ready)!.Status.Should().Be("False");
        var warning = await WaitForEventAsync(SubnetName("bad"), EventReasons.SubnetInvalid, "default");
        warning.Type.Should().Be("Warning");
    }

    [Test]
    public async Task Kube_OVN_Subnets_Are_Never_Touched()
    {
        await CreateSubnetAsync("ovn", provider: "ovn");
        await CreateSubnetAsync("vpc", provider: "vpc1.ovn");
        await CreateSubnetAsync("mine");
        await WaitForSubnetAsync(SubnetName("mine"), s => s.Status?.Conditions is { Count: > 0 }, "our Subnet's status");
        foreach (var name in new[] { SubnetName("ovn"), SubnetName("vpc") })
        {
            var subnet = (await Client.GetAsync<V1Subnet>(name))!;
            subnet.Status?.Conditions.Should().BeNull();
            subnet.Status?.V4AvailableIPs.Should().BeNull();
            subnet.Metadata.Finalizers.Should().BeNullOrEmpty();
            subnet.Metadata.ResourceVersion.Should().Be((await Client.GetAsync<V1Subnet>(name))!.Metadata.ResourceVersion);
        }
    }

    [Test]
    public async Task Deletion_Waits_While_A_Service_Holds_An_Address_Then_Completes()
    {
        await CreateNadAsync();
        await CreateSubnetAsync("a");
        await CreateServiceAsync(LbService("web"));
        await WaitForIngressAsync("web", "192.168.10.11");

        await Client.DeleteAsync<V1Subnet>(SubnetName("a"));
        var subnet = await WaitForSubnetAsync(SubnetName("a"),
            s => Condition(s, SubnetStatusWriter.Ready)?.Reason == EventReasons.SubnetInUse, "the deletion to wait");
        Condition(subnet, SubnetStatusWriter.Ready)!.Message.Should().Contain($"{Ns}/web");
        subnet.Metadata.DeletionTimestamp.Should().NotBeNull();

        await Client.DeleteAsync<V1Service>("web", Ns);
        await Eventually(() => Client.GetAsync<V1Subnet>(SubnetName("a")), s => s is null, "the Subnet to be deleted");
    }

    [Test]
    public async Task CidrBlock_Change_While_In_Use_Is_Refused_And_Nothing_Moves()
    {
        await CreateNadAsync();
        await CreateSubnetAsync("a");
        await CreateServiceAsync(LbService("web"));
        await WaitForIngressAsync("web", "192.168.10.11");

        await EditSubnetAsync(SubnetName("a"), s =>
        {
            s.Spec.CidrBlock = "192.168.30.0/24";
            s.Spec.ExcludeIps = [];
            s.Spec.Gateway = null;
        });
        var subnet = await WaitForSubnetAsync(SubnetName("a"),
            s => Condition(s, SubnetStatusWriter.Validated)?.Reason == EventReasons.CidrChangeRefused, "the change to be refused");
        Condition(subnet, SubnetStatusWriter.Validated)!.Message.Should().Contain("192.168.30.0/24").And.Contain($"{Ns}/web");
        Condition(subnet, SubnetStatusWriter.Ready)!.Status.Should().Be("True");
        (await WaitForEventAsync(SubnetName("a"), EventReasons.CidrChangeRefused, "default")).Type.Should().Be("Warning");

        // The Service keeps its address and the next Service is still served from the CIDR in effect.
        Ingress(await GetServiceAsync("web")).Should().Equal("192.168.10.11");
        await CreateServiceAsync(LbService("next"));
        await WaitForIngressAsync("next", "192.168.10.12");
    }

    [Test]
    public async Task ExcludeIps_Edit_Never_Takes_An_Address_From_Its_Holder()
    {
        await CreateNadAsync();
        await CreateSubnetAsync("a");
        await CreateServiceAsync(LbService("web"));
        await WaitForIngressAsync("web", "192.168.10.11");

        await EditSubnetAsync(SubnetName("a"), s => s.Spec.ExcludeIps = ["192.168.10.1..192.168.10.20"]);
        var subnet = await WaitForSubnetAsync(SubnetName("a"),
            s => Condition(s, SubnetStatusWriter.Ready)?.Reason == EventReasons.HeldAddressExcluded, "the overlap to be reported");
        Condition(subnet, SubnetStatusWriter.Ready)!.Message.Should().Contain("192.168.10.11");
        Ingress(await GetServiceAsync("web")).Should().Equal("192.168.10.11");
        await CreateServiceAsync(LbService("next"));
        await WaitForIngressAsync("next", "192.168.10.21");
    }
}
