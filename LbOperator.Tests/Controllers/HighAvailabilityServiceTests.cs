using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using LbOperator.LoadBalancing;
using LbOperator.Sandbox;

namespace LbOperator.Tests.Controllers;

/// <summary>Services asking for a highly available gateway: two pods, a disruption budget, a router id of their own.</summary>
[NonParallelizable]
[Category("Sandbox")]
public sealed class HighAvailabilityServiceTests : OperatorTestBase
{
    // One node per gateway pod: their anti-affinity allows no less.
    protected override SandboxOptions Options => base.Options with { Nodes = SandboxNode.Cluster(2) };

    private V1Service HaService(string name, string replicas = "2")
    {
        var service = LbService(name);
        service.Metadata.Annotations[Annotations.GatewayReplicas] = replicas;
        return service;
    }

    private async Task ServeAsync(params string[] names)
    {
        await CreateNadAsync();
        await CreateSubnetAsync("a");
        foreach (var name in names)
        {
            await CreateServiceAsync(HaService(name));
        }
    }

    private Task<V1PodDisruptionBudget?> GetBudgetAsync(string service) =>
        Client.GetAsync<V1PodDisruptionBudget>($"lb-svc-{service}", Ns);

    [Test]
    public async Task Each_Service_Gets_Two_Pods_A_Budget_And_A_Router_Id_Of_Its_Own()
    {
        await ServeAsync("web", "api");

        // The condition turns True with the first ready pod ("1 of 2"): wait for the second.
        var web = await Eventually(() => GetServiceAsync("web"),
            s => LoadBalancerCondition(s) is { Status: "True" } c && c.Message.Contains("(2 of 2 ready)", StringComparison.Ordinal), "web to be whole");
        LoadBalancerCondition(web)!.Message.Should().Contain("is ready (2 of 2 ready)");
        var gateways = new[] { (await GetGatewayAsync("web"))!, (await GetGatewayAsync("api"))! };
        gateways.Should().OnlyContain(g => g.Spec.Replicas == 2 && g.Spec.Strategy.Type == "RollingUpdate");
        var ids = gateways.Select(g => g.Spec.Template.Metadata.Annotations[Annotations.GatewayRouterId]).ToList();
        ids.Should().OnlyHaveUniqueItems("two gateways on one network must not share a VRRP router id");

        var budget = await Eventually(() => GetBudgetAsync("web"), b => b is not null, "web's disruption budget");
        budget!.Spec.MaxUnavailable.Value.Should().Be("1");
        budget.Spec.Selector.MatchLabels.Should().Equal(gateways[0].Spec.Selector.MatchLabels);
        budget.Metadata.OwnerReferences.Should().ContainSingle(o => o.Kind == "Service" && o.Name == "web" && o.Controller == true);
    }

    [Test]
    public async Task The_Two_Pods_Run_On_Different_Nodes()
    {
        await ServeAsync("web");
        await Eventually(() => GetServiceAsync("web"), s => LoadBalancerCondition(s)?.Message.Contains("(2 of 2 ready)") == true, "web to be whole");

        var pods = (await Api.CoreV1.ListNamespacedPodAsync(Ns, labelSelector: "app=lb-svc-web")).Items;
        pods.Select(p => p.Spec.NodeName).Should().OnlyHaveUniqueItems().And.HaveCount(2);
    }

    [Test]
    public async Task Going_Back_To_One_Pod_Drops_The_Budget_And_Frees_The_Router_Id()
    {
        await ServeAsync("web");
        await Eventually(() => GetBudgetAsync("web"), b => b is not null, "web's disruption budget");
        var id = (await GetGatewayAsync("web"))!.Spec.Template.Metadata.Annotations[Annotations.GatewayRouterId];

        await EditServiceAsync("web", s => s.Metadata.Annotations[Annotations.GatewayReplicas] = "1");

        await Eventually(() => GetGatewayAsync("web"), g => g!.Spec.Replicas == 1 && g.Spec.Strategy.Type == "Recreate", "one pod, recreated");
        await Eventually(() => GetBudgetAsync("web"), b => b is null, "the budget to go");
        await CreateServiceAsync(HaService("next"));
        await Eventually(() => GetGatewayAsync("next"), g => g?.Spec.Template.Metadata.Annotations.TryGetValue(Annotations.GatewayRouterId, out var given) == true && given == id,
            "the freed id to be handed out again");
    }

    [Test]
    public async Task A_Lost_Standby_Is_A_Warning_While_The_Address_Stays()
    {
        await ServeAsync("web");
        await Eventually(() => GetServiceAsync("web"), s => LoadBalancerCondition(s)?.Message.Contains("(2 of 2 ready)") == true, "web to be whole");
        var pod = (await Api.CoreV1.ListNamespacedPodAsync(Ns, labelSelector: "app=lb-svc-web")).Items.First();

        await MarkUnreadyAsync(pod);

        var warning = await WaitForEventAsync("web", EventReasons.GatewayStandbyLost);
        warning.Type.Should().Be("Warning");
        warning.Message.Should().Contain("1 of 2 ready");
        var service = await GetServiceAsync("web");
        LoadBalancerCondition(service)!.Status.Should().Be("True");
        LoadBalancerCondition(service)!.Message.Should().Contain("(1 of 2 ready)");
        Ingress(service).Should().Equal("192.168.10.11");
    }

    [Test]
    public async Task An_Edited_Budget_Is_Put_Back()
    {
        await ServeAsync("web");
        await Eventually(() => GetBudgetAsync("web"), b => b is not null, "web's disruption budget");

        await EditAsync<V1PodDisruptionBudget>("lb-svc-web", Ns, b => b.Spec.MaxUnavailable = 2);

        await Eventually(() => GetBudgetAsync("web"), b => b?.Spec.MaxUnavailable?.Value == "1", "the budget to be restored");
    }

    [Test]
    public async Task A_Count_That_Is_No_Number_Is_Refused_With_The_Value()
    {
        await CreateNadAsync();
        await CreateSubnetAsync("a");
        await CreateServiceAsync(HaService("web", replicas: "two"));

        var refused = await WaitForEventAsync("web", EventReasons.InvalidAnnotation);
        refused.Message.Should().Contain(Annotations.GatewayReplicas).And.Contain("\"two\"");
        (await GetGatewayAsync("web")).Should().BeNull();
    }

    [Test]
    public async Task A_Restarted_Operator_Keeps_Every_Router_Id_And_Writes_Nothing()
    {
        await ServeAsync("web", "api");
        await Eventually(() => GetServiceAsync("api"), s => LoadBalancerCondition(s)?.Status == "True", "api to be ready");
        var before = new[] { (await GetGatewayAsync("web"))!, (await GetGatewayAsync("api"))! };

        await StopOperatorAsync();
        await StartOperatorAsync();
        await CreateServiceAsync(HaService("third"));
        await Eventually(() => GetGatewayAsync("third"), g => g is not null, "the third gateway");

        var after = new[] { (await GetGatewayAsync("web"))!, (await GetGatewayAsync("api"))! };
        after.Select(g => g.Metadata.ResourceVersion).Should().Equal(before.Select(g => g.Metadata.ResourceVersion), "no gateway rolls after a restart");
        var third = (await GetGatewayAsync("third"))!.Spec.Template.Metadata.Annotations[Annotations.GatewayRouterId];
        before.Select(g => g.Spec.Template.Metadata.Annotations[Annotations.GatewayRouterId]).Should().NotContain(third);
    }

    private async Task MarkUnreadyAsync(V1Pod pod)
    {
        var patch = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(
                    new JsonObject { ["type"] = "Ready", ["status"] = "False", ["reason"] = "ReadinessProbeFailed" },
                    new JsonObject { ["type"] = "ContainersReady", ["status"] = "False" }),
            },
        };
        await Api.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.StrategicMergePatch), pod.Metadata.Name, Ns);
    }
}

/// <summary>A highly available gateway on a cluster of one node: its standby cannot be placed, and the address is still served.</summary>
[NonParallelizable]
[Category("Sandbox")]
public sealed class HighAvailabilityOnOneNodeTests : OperatorTestBase
{
    [Test]
    public async Task The_Standby_Waits_Unschedulable_While_The_Address_Is_Served_Without_A_Warning()
    {
        await CreateNadAsync();
        await CreateSubnetAsync("a");
        var service = LbService("web");
        service.Metadata.Annotations[Annotations.GatewayReplicas] = "2";
        await CreateServiceAsync(service);

        var served = await WaitForIngressAsync("web", "192.168.10.11");
        LoadBalancerCondition(served)!.Message.Should().Contain("is ready (1 of 2 ready)");
        var pending = await Eventually(async () => (await Api.CoreV1.ListNamespacedPodAsync(Ns, labelSelector: "app=lb-svc-web")).Items
                .FirstOrDefault(p => p.Status?.Conditions?.Any(c => c.Type == "PodScheduled" && c.Status == "False" && c.Reason == "Unschedulable") == true),
            p => p is not null, "the second pod to be unschedulable");
        pending!.Spec.NodeName.Should().BeNullOrEmpty();
        (await EventsAboutAsync("web")).Should().NotContain(e => e.Reason == EventReasons.GatewayStandbyLost, "the gateway was never whole");
    }
}
