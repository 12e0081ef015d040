using k8s;
using k8s.Models;

namespace LbOperator.Tests.Sandbox.Rollout;

[Category("Sandbox")]
public sealed class PodDisruptionBudgetTests : SandboxTestBase
{
    private static V1PodDisruptionBudget Budget(string name, IntOrString? minAvailable = null, IntOrString? maxUnavailable = null, string app = "web") => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodDisruptionBudgetSpec
        {
            MinAvailable = minAvailable,
            MaxUnavailable = maxUnavailable,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = app } },
        },
    };

    private Task<V1PodDisruptionBudget> StatusOf(string name, Func<V1PodDisruptionBudgetStatus, bool> condition) =>
        Eventually(() => Client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync(name, Ns), b => b.Status is { } s && condition(s), $"the status of budget {name}");

    [Test]
    public async Task MinAvailable_Status_Follows_The_Ready_Pods()
    {
        await Client.AppsV1.CreateNamespacedDeploymentAsync(LifecycleTests.Deployment("web", replicas: 3), Ns);
        var created = await Client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(Budget("min", minAvailable: 2), Ns);
        created.Status.DisruptionsAllowed.Should().Be(0);

        var budget = await StatusOf("min", s => s.CurrentHealthy == 3);
        budget.Status.ExpectedPods.Should().Be(3);
        budget.Status.DesiredHealthy.Should().Be(2);
        budget.Status.DisruptionsAllowed.Should().Be(1);
        budget.Status.ObservedGeneration.Should().Be(1);
        budget.Status.Conditions.Should().ContainSingle().Which.Should().Match<V1Condition>(c =>
            c.Type == "DisruptionAllowed" && c.Status == "True" && c.Reason == "SufficientPods" && c.ObservedGeneration == 1);

        await Client.AppsV1.PatchNamespacedDeploymentScaleAsync(new V1Patch("{\"spec\":{\"replicas\":2}}", V1Patch.PatchType.MergePatch), "web", Ns);
        var short_ = await StatusOf("min", s => s.CurrentHealthy == 2);
        short_.Status.DisruptionsAllowed.Should().Be(0);
        short_.Status.ExpectedPods.Should().Be(2);
        short_.Status.Conditions.Should().ContainSingle(c => c.Type == "DisruptionAllowed" && c.Status == "False" && c.Reason == "InsufficientPods");
    }

    [Test]
    public async Task MaxUnavailable_Counts_Against_The_Deployment_Replicas()
    {
        await Client.AppsV1.CreateNamespacedDeploymentAsync(LifecycleTests.Deployment("web", replicas: 3), Ns);
        await Client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(Budget("max", maxUnavailable: "50%"), Ns);
        var budget = await StatusOf("max", s => s.CurrentHealthy == 3);
        // 50% of 3 rounds up to 2 pods that may be missing: 1 must stay.
        budget.Status.ExpectedPods.Should().Be(3);
        budget.Status.DesiredHealthy.Should().Be(1);
        budget.Status.DisruptionsAllowed.Should().Be(2);

        await Client.PolicyV1.PatchNamespacedPodDisruptionBudgetAsync(new V1Patch("{\"spec\":{\"maxUnavailable\":0}}", V1Patch.PatchType.MergePatch), "max", Ns);
        var none = await StatusOf("max", s => s.ObservedGeneration == 2);
        none.Status.DesiredHealthy.Should().Be(3);
        none.Status.DisruptionsAllowed.Should().Be(0);
        none.Status.Conditions.Should().ContainSingle(c => c.Reason == "InsufficientPods");
    }

    [Test]
    public async Task A_Budget_Selecting_No_Pods_Allows_No_Disruption()
    {
        await Client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(Budget("empty", minAvailable: "50%", app: "nothing"), Ns);
        var budget = await StatusOf("empty", s => s.ObservedGeneration == 1);
        budget.Status.ExpectedPods.Should().Be(0);
        budget.Status.DisruptionsAllowed.Should().Be(0);
        budget.Status.Conditions.Should().ContainSingle(c => c.Reason == "InsufficientPods");
    }

    [Test]
    public async Task MinAvailable_And_MaxUnavailable_Cannot_Both_Be_Set()
    {
        var e = await Fails(() => Client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(Budget("both", minAvailable: 1, maxUnavailable: 1), Ns));
        e.Response.StatusCode.Should().Be(System.Net.HttpStatusCode.UnprocessableEntity);
        CrudTests.Status(e).Message.Should().StartWith("PodDisruptionBudget.policy \"both\" is invalid: spec: Invalid value: ")
            .And.EndWith("minAvailable and maxUnavailable cannot be both set");
    }

    [Test]
    public async Task Values_And_Selector_Are_Checked()
    {
        var negative = await Fails(() => Client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(Budget("neg", minAvailable: -1), Ns));
        CrudTests.Status(negative).Message.Should().Contain("spec.minAvailable: Invalid value: -1: must be greater than or equal to 0");

        var percent = await Fails(() => Client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(Budget("pct", maxUnavailable: "150%"), Ns));
        CrudTests.Status(percent).Message.Should().Contain("spec.maxUnavailable: Invalid value: \"150%\": must not be greater than 100%");

        var selector = Budget("sel", minAvailable: 1);
        selector.Spec.Selector = new V1LabelSelector { MatchExpressions = [new V1LabelSelectorRequirement { Key = "app", OperatorProperty = "In" }] };
        var noValues = await Fails(() => Client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(selector, Ns));
        CrudTests.Status(noValues).Message.Should().Contain("spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'");

        var neither = await Client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(Budget("neither"), Ns);
        neither.Spec.MinAvailable.Should().BeNull("a budget with neither bound is valid, as upstream takes it");
    }
}
