using k8s.Models;
using LbOperator.LoadBalancing;

namespace LbOperator.Tests.Controllers;

/// <summary>Failures are visible (a Warning Event and the condition, with a reason) and retried; they block no other Service.</summary>
[NonParallelizable]
[Category("Sandbox")]
public sealed class ServiceFailureTests : OperatorTestBase
{
    private async Task ExpectFailureAsync(string service, string reason, params string[] messageParts)
    {
        var warning = await WaitForEventAsync(service, reason);
        warning.Type.Should().Be("Warning");
        foreach (var part in messageParts)
        {
            warning.Message.Should().Contain(part);
        }

        var current = await GetServiceAsync(service);
        LoadBalancerCondition(current).Should().Match<V1Condition>(c => c.Status == "False" && c.Reason == reason);
        Ingress(current).Should().BeEmpty();
        (await GetGatewayAsync(service)).Should().BeNull();
    }

    [Test]
    public async Task Missing_NetworkAttachmentDefinition_Is_Reported_And_Retried_Until_It_Exists()
    {
        await CreateSubnetAsync("a");
        await CreateServiceAsync(LbService("web"));
        await ExpectFailureAsync("web", EventReasons.NetworkAttachmentNotFound, $"{Ns}/lb");

        await CreateNadAsync();
        await WaitForIngressAsync("web", "192.168.10.11");
    }

    [Test]
    public async Task Missing_Subnet_Is_Reported_And_Retried_Until_It_Exists()
    {
        await CreateNadAsync();
        await CreateServiceAsync(LbService("web", subnet: SubnetName("late")));
        await ExpectFailureAsync("web", EventReasons.SubnetNotFound, SubnetName("late"));

        await CreateSubnetAsync("late");
        await WaitForIngressAsync("web", "192.168.10.11");
    }

    [Test]
    public async Task Invalid_Subnet_Is_Reported_On_The_Service()
    {
        await CreateNadAsync();
        await CreateSubnetAsync("bad", cidr: "192.168.10.0/24", gateway: "192.168.99.1");
        await CreateServiceAsync(LbService("web", subnet: SubnetName("bad")));
        await ExpectFailureAsync("web", EventReasons.SubnetInvalid, SubnetName("bad"), "192.168.99.1");
    }

    [Test]
    public async Task Static_Address_Outside_The_Subnet_Is_Refused()
    {
        await CreateNadAsync();
        await CreateSubnetAsync("a");
        await CreateServiceAsync(LbService("web", loadBalancerIp: "10.1.2.3"));
        await ExpectFailureAsync("web", EventReasons.InvalidAddressRequest, "10.1.2.3", "192.168.10.0/24");
    }

    [Test]
    public async Task Broadcast_Address_Is_Out_Of_Range()
    {
        await CreateNadAsync();
        await CreateSubnetAsync("a");
        await CreateServiceAsync(LbService("web", loadBalancerIp: "192.168.10.255"));
        await ExpectFailureAsync("web", EventReasons.AddressOutOfRange, "192.168.10.255", "broadcast");
    }

    [Test]
    public async Task Exhausted_Subnet_Is_Reported_And_Served_When_An_Address_Is_Freed()
    {
        await CreateNadAsync();
        await CreateSubnetAsync("tiny", cidr: "192.168.10.0/29", excludeIps: ["192.168.10.1..192.168.10.4"]);
        await CreateServiceAsync(LbService("one"));
        await CreateServiceAsync(LbService("two"));
        // The two are reconciled in parallel: which of them gets .5 and which .6 is not fixed.
        var one = await Eventually(() => GetServiceAsync("one"), s => Ingress(s).Count == 1, "Service one to get an address");
        var two = await Eventually(() => GetServiceAsync("two"), s => Ingress(s).Count == 1, "Service two to get an address");
        Ingress(one).Concat(Ingress(two)).Should().BeEquivalentTo(["192.168.10.5", "192.168.10.6"]);

        await CreateServiceAsync(LbService("three"));
        await ExpectFailureAsync("three", EventReasons.SubnetExhausted, SubnetName("tiny"));

        await Client.DeleteAsync<V1Service>("one", Ns);
        await WaitForIngressAsync("three", Ingress(one).Single());
    }

    [Test]
    public async Task A_Failing_Service_Blocks_No_Other()
    {
        await CreateNadAsync();
        await CreateSubnetAsync("a");
        await CreateServiceAsync(LbService("broken", subnet: SubnetName("missing")));
        await CreateServiceAsync(LbService("fine"));
        await WaitForIngressAsync("fine", "192.168.10.11");
        await ExpectFailureAsync("broken", EventReasons.SubnetNotFound);
    }

    [Test]
    public async Task Unsupported_Protocol_Is_Refused_By_The_API_Server_Before_The_Operator_Sees_It()
    {
        await CreateNadAsync();
        await CreateSubnetAsync("a");
        var service = LbService("web");
        service.Spec.Ports[0].Protocol = "HTTP";
        var refused = await FluentActions.Awaiting(() => CreateServiceAsync(service)).Should().ThrowAsync<k8s.Autorest.HttpOperationException>();
        refused.Which.Response.StatusCode.Should().Be(System.Net.HttpStatusCode.UnprocessableEntity);
        refused.Which.Response.Content.Should().Contain("spec.ports[0].protocol").And.Contain("HTTP");
        (await Client.GetAsync<V1Service>("web", Ns)).Should().BeNull();
    }

    /// <summary>The bad-input table: each edit of a good Service, and the reason it must be refused with.</summary>
    private static IEnumerable<TestCaseData> BadInputs()
    {
        yield return Case("attachment provider without namespace", EventReasons.InvalidAnnotation,
            (s, p) => s.Metadata.Annotations[Annotations.AttachmentProvider] = "justaname", "justaname");
        yield return Case("attachment provider of Kube-OVN", EventReasons.InvalidAnnotation,
            (s, p) => s.Metadata.Annotations[Annotations.AttachmentProvider] = "ovn", "ovn");
        yield return Case("attachment provider with a bad namespace", EventReasons.InvalidAnnotation,
            (s, p) => s.Metadata.Annotations[Annotations.AttachmentProvider] = "lb.Not_A_Namespace", "Not_A_Namespace");
        yield return Case("loadBalancerIP that is no address", EventReasons.InvalidAddressRequest,
            (s, p) => s.Spec.LoadBalancerIP = "192.168.10.x", "192.168.10.x");
        yield return Case("loadBalancerIP of the other family", EventReasons.InvalidAddressRequest,
            (s, p) => s.Spec.LoadBalancerIP = "fd00::5", "fd00::5");
        yield return Case("per-family annotation with two IPv4 addresses", EventReasons.InvalidAddressRequest,
            (s, p) => s.Metadata.Annotations[Annotations.IpAddress(p)] = "192.168.10.20,192.168.10.21", "192.168.10.20,192.168.10.21");
        yield return Case("annotation and loadBalancerIP disagree", EventReasons.InvalidAddressRequest,
            (s, p) =>
            {
                s.Metadata.Annotations[Annotations.IpAddress(p)] = "192.168.10.20";
                s.Spec.LoadBalancerIP = "192.168.10.21";
            }, "192.168.10.21");
        yield return Case("the Subnet's gateway", EventReasons.AddressConflict,
            (s, p) => s.Spec.LoadBalancerIP = "192.168.10.1", "gateway");
        yield return Case("subnet annotation naming a Subnet of another provider", EventReasons.SubnetNotFound,
            (s, p) => s.Metadata.Annotations[Annotations.LogicalSwitch(p)] = "other-provider-subnet", "other-provider-subnet");
        yield return Case("another load balancer's class", null,
            (s, p) => s.Spec.LoadBalancerClass = "example.org/other", "");
    }

    private static TestCaseData Case(string name, string? reason, Action<V1Service, string> edit, string mentioned) =>
        new TestCaseData(reason, edit, mentioned).SetName($"Refuses {name}");

    [TestCaseSource(nameof(BadInputs))]
    public async Task Bad_Input(string? reason, Action<V1Service, string> edit, string mentioned)
    {
        await CreateNadAsync();
        await CreateSubnetAsync("a");
        var service = LbService("web");
        edit(service, Provider);
        await CreateServiceAsync(service);
        if (reason is null)
        {
            // Not ours: left alone entirely (no finalizer, no status, no Events).
            await Task.Delay(500);
            var untouched = await GetServiceAsync("web");
            untouched.Metadata.Finalizers.Should().BeNullOrEmpty();
            LoadBalancerCondition(untouched).Should().BeNull();
            (await EventsAboutAsync("web")).Should().BeEmpty();
            return;
        }

        await ExpectFailureAsync("web", reason, mentioned);
    }
}
