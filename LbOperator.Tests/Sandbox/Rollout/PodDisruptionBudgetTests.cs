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
        var belowBudget = await StatusOf("min", s => s.CurrentHealthy == 2);
        belowBudget.Status.DisruptionsAllowed.Should().Be(0);
        belowBudget.Status.ExpectedPods.Should().Be(2);
        belowBudget.Status.Conditions.Should().ContainSingle(c => c.Type == "DisruptionAllowed" && c.Status == "False" && c.Reason == "InsufficientPods");
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

    [Test]
    public async Task Eviction_Is_Refused_With_429_When_The_Budget_Allows_No_Disruption()
    {
        await Client.AppsV1.CreateNamespacedDeploymentAsync(LifecycleTests.Deployment("web", replicas: 2), Ns);
        await Client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(Budget("all", minAvailable: 2), Ns);
        await StatusOf("all", s => s.CurrentHealthy == 2 && s.ExpectedPods == 2);
        var pod = (await Client.CoreV1.ListNamespacedPodAsync(Ns)).Items[0].Metadata.Name;

        var e = await Fails(() => Client.CoreV1.CreateNamespacedPodEvictionAsync(Eviction(pod), pod, Ns));
        e.Response.StatusCode.Should().Be((System.Net.HttpStatusCode)429);
        var status = CrudTests.Status(e);
        status.Reason.Should().Be("TooManyRequests");
        status.Message.Should().Be("Cannot evict pod as it would violate the pod's disruption budget.");
        status.Details.Causes.Should().ContainSingle().Which.Message.Should().Be("The disruption budget all needs 2 healthy pods and has 2 currently");
        (await Client.CoreV1.ReadNamespacedPodAsync(pod, Ns)).Metadata.DeletionTimestamp.Should().BeNull();
    }

    [Test]
    public async Task Eviction_Within_The_Budget_Deletes_The_Pod_And_Takes_A_Disruption()
    {
        await Client.AppsV1.CreateNamespacedDeploymentAsync(LifecycleTests.Deployment("web", replicas: 2), Ns);
        await Client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(Budget("one", minAvailable: 1), Ns);
        var before = await StatusOf("one", s => s.DisruptionsAllowed == 1);
        var pod = (await Client.CoreV1.ListNamespacedPodAsync(Ns)).Items[0];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var recorded = new List<V1PodDisruptionBudgetStatus>();
        var watching = Task.Run(async () =>
        {
            await foreach (var (_, budget) in Client.PolicyV1.WatchListNamespacedPodDisruptionBudgetAsync(Ns, resourceVersion: before.Metadata.ResourceVersion, cancellationToken: cts.Token))
            {
                recorded.Add(budget.Status);
                if (budget.Status.DisruptedPods is null && recorded.Any(s => s.DisruptedPods is not null))
                {
                    // The controller has seen the pod go and dropped it from disruptedPods.
                    return;
                }
            }
        });

        await Client.CoreV1.CreateNamespacedPodEvictionAsync(Eviction(pod.Metadata.Name), pod.Metadata.Name, Ns);
        await watching;
        var taken = recorded.First(s => s.DisruptedPods is not null);
        taken.DisruptionsAllowed.Should().Be(0, "the eviction took the one disruption the budget allowed");
        taken.DisruptedPods.Should().ContainKey(pod.Metadata.Name);

        await Eventually(() => Client.CoreV1.ListNamespacedPodAsync(Ns), l => l.Items.All(p => p.Metadata.Uid != pod.Metadata.Uid), "the evicted pod to go");
        var wrong = await Fails(() => Client.CoreV1.CreateNamespacedPodEvictionAsync(Eviction("other"), pod.Metadata.Name, Ns));
        wrong.Response.StatusCode.Should().Be(System.Net.HttpStatusCode.BadRequest);
        var missing = await Fails(() => Client.CoreV1.CreateNamespacedPodEvictionAsync(Eviction("nope"), "nope", Ns));
        missing.Response.StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
    }

    private V1Eviction Eviction(string pod) => new() { Metadata = new V1ObjectMeta { Name = pod, NamespaceProperty = Ns } };
}
