using k8s.Models;
using LbOperator.Controllers;
using LbOperator.Entities;
using LbOperator.Framework.Entities;
using LbOperator.LoadBalancing;

namespace LbOperator.Tests.Controllers;

/// <summary>
/// Subnet edits the IPAM refuses stay refused across restarts; overlapping Subnets never hand out one address twice;
/// a Subnet reserved for namespaces serves no other namespace.
/// </summary>
[NonParallelizable]
[Category("Sandbox")]
public sealed class SubnetEditAndRestartTests : OperatorTestBase
{
    private Task<V1Subnet> WaitForSubnetAsync(string name, Func<V1Subnet, bool> condition, string what) =>
        Eventually(async () => (await Client.GetAsync<V1Subnet>(name))!, condition, what);

    private static V1Condition? Condition(V1Subnet subnet, string type) => ConditionList.Find(subnet.Status?.Conditions, type);

    private async Task RestartOperatorAsync()
    {
        await StopOperatorAsync();
        await StartOperatorAsync();
    }

    /// <summary>Waits until the Service's condition carries <paramref name="reason"/>.</summary>
    private Task<V1Service> WaitForServiceReasonAsync(string name, string reason) =>
        Eventually(() => GetServiceAsync(name), s => LoadBalancerCondition(s)?.Reason == reason, $"Service {name} to report {reason}");

    [Test]
    public async Task A_Refused_Cidr_Change_Stays_Refused_After_A_Restart()
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
        await WaitForSubnetAsync(SubnetName("a"),
            s => Condition(s, SubnetStatusWriter.Validated)?.Reason == EventReasons.CidrChangeRefused, "the change to be refused");

        await RestartOperatorAsync();
        await CreateServiceAsync(LbService("next"));

        // The CIDR in effect before the restart is the one in effect after it: nothing moves, nothing is lost.
        await WaitForIngressAsync("next", "192.168.10.12");
        var web = await GetServiceAsync("web");
        Ingress(web).Should().Equal("192.168.10.11");
        (await RecordsAsync()).Where(r => r.Spec.Service?.Name == "web").Select(r => r.Spec.Address).Should().Equal("192.168.10.11");
        (await GetGatewayAsync("web"))!.Spec.Template.Metadata.Annotations[Annotations.IpAddress(Provider)].Should().Be("192.168.10.11");
        var subnet = await WaitForSubnetAsync(SubnetName("a"), s => s.Status?.V4UsingIPs == 2, "the Subnet to count both holders");
        subnet.Status!.V4UsingIPRange.Should().Be("192.168.10.11-192.168.10.12");
        Condition(subnet, SubnetStatusWriter.Validated)!.Reason.Should().Be(EventReasons.CidrChangeRefused);
        Condition(subnet, SubnetStatusWriter.Validated)!.Message.Should().Contain("192.168.30.0/24");
    }

    [Test]
    public async Task A_Subnet_Whose_Spec_Became_Invalid_Keeps_Its_Holders_Across_A_Restart()
    {
        await CreateNadAsync();
        await CreateSubnetAsync("a");
        await CreateServiceAsync(LbService("web"));
        await WaitForIngressAsync("web", "192.168.10.11");
        await EditSubnetAsync(SubnetName("a"), s => s.Spec.Gateway = "192.168.10.0");
        await WaitForSubnetAsync(SubnetName("a"),
            s => Condition(s, SubnetStatusWriter.Validated)?.Reason == EventReasons.ValidationFailed, "the spec to be invalid");

        await RestartOperatorAsync();
        await CreateServiceAsync(LbService("next"));

        // The last valid definition stays in effect across the restart, so web's address is still held.
        await WaitForIngressAsync("next", "192.168.10.12");
        Ingress(await GetServiceAsync("web")).Should().Equal("192.168.10.11");
        Condition(await Client.GetAsync<V1Subnet>(SubnetName("a")) ?? throw new AssertionException("gone"), SubnetStatusWriter.Ready)!
            .Status.Should().Be("True");
    }

    [Test]
    public async Task Of_Two_Overlapping_Subnets_The_Newer_Is_Refused_Before_And_After_A_Restart()
    {
        await CreateNadAsync();
        await CreateSubnetAsync("a");
        await CreateSubnetAsync("b", cidr: "192.168.10.128/25", excludeIps: []);
        var refused = await WaitForSubnetAsync(SubnetName("b"),
            s => Condition(s, SubnetStatusWriter.Validated)?.Status == "False", "the newer Subnet to be refused");
        Condition(refused, SubnetStatusWriter.Validated)!.Reason.Should().Be(EventReasons.CidrOverlap);
        Condition(refused, SubnetStatusWriter.Validated)!.Message.Should().Contain(SubnetName("a")).And.Contain("192.168.10.0/24");
        Condition(refused, SubnetStatusWriter.Ready)!.Status.Should().Be("False");
        (await WaitForEventAsync(SubnetName("b"), EventReasons.CidrOverlap, "default")).Type.Should().Be("Warning");

        // Both ask for 192.168.10.200: only the Service of the older Subnet gets it.
        await CreateServiceAsync(LbService("in-a", subnet: SubnetName("a"), loadBalancerIp: "192.168.10.200"));
        await CreateServiceAsync(LbService("in-b", subnet: SubnetName("b"), loadBalancerIp: "192.168.10.200"));
        await WaitForIngressAsync("in-a", "192.168.10.200");
        await WaitForServiceReasonAsync("in-b", EventReasons.SubnetInvalid);

        await RestartOperatorAsync();
        await Task.Delay(1000);
        Ingress(await GetServiceAsync("in-a")).Should().Equal("192.168.10.200");
        Ingress(await GetServiceAsync("in-b")).Should().BeEmpty("the newer Subnet stays refused after a restart");
        Condition((await Client.GetAsync<V1Subnet>(SubnetName("b")))!, SubnetStatusWriter.Validated)!.Reason.Should().Be(EventReasons.CidrOverlap);

        // Once the older Subnet is gone, the newer one is accepted without any edit of its own.
        await Client.DeleteAsync<V1Service>("in-a", Ns);
        await Client.DeleteAsync<V1Subnet>(SubnetName("a"));
        await WaitForSubnetAsync(SubnetName("b"),
            s => Condition(s, SubnetStatusWriter.Validated)?.Status == "True", "the newer Subnet to be accepted");
        await WaitForIngressAsync("in-b", "192.168.10.200");
    }

    [Test]
    public async Task A_Subnet_Reserved_For_Other_Namespaces_Refuses_The_Service_Until_Its_Namespace_Is_Listed()
    {
        await CreateNadAsync();
        await CreateSubnetAsync("tenant");
        await EditSubnetAsync(SubnetName("tenant"), s => s.Spec.Namespaces = ["someone-else"]);
        await CreateServiceAsync(LbService("web", subnet: SubnetName("tenant")));

        var service = await WaitForServiceReasonAsync("web", EventReasons.SubnetNotAllowed);
        LoadBalancerCondition(service)!.Message.Should().Contain("someone-else").And.Contain($"namespace {Ns}");
        (await WaitForEventAsync("web", EventReasons.SubnetNotAllowed)).Type.Should().Be("Warning");
        Ingress(service).Should().BeEmpty();

        await EditSubnetAsync(SubnetName("tenant"), s => s.Spec.Namespaces = ["someone-else", Ns]);
        await WaitForIngressAsync("web", "192.168.10.11");
    }
}
