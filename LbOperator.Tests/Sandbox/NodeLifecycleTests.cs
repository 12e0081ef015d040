using k8s;
using k8s.Models;
using LbOperator.Sandbox;
using LbOperator.Sandbox.Controllers;

namespace LbOperator.Tests.Sandbox;

/// <summary>A crashed node with a short grace period: Unknown, tainted, its pods evicted per their tolerations, and its return.</summary>
[Category("Sandbox")]
public sealed class NodeLifecycleTests : SandboxTestBase
{
    private readonly NodeOutages _outages = new();

    protected override SandboxOptions Options => base.Options with
    {
        Nodes = SandboxNode.Cluster(2),
        NodeOutages = _outages,
        NodeMonitorGracePeriod = TimeSpan.FromSeconds(2),
        DefaultTolerationSeconds = 3,
    };

    [Test]
    public async Task Admission_Adds_The_Default_Tolerations_With_The_Configured_Seconds()
    {
        var pod = await Client.CoreV1.CreateNamespacedPodAsync(MultiNodeSchedulingTests.Pod("p"), Ns);
        pod.Spec.Tolerations.Should().BeEquivalentTo(
        [
            new V1Toleration { Key = "node.kubernetes.io/not-ready", OperatorProperty = "Exists", Effect = "NoExecute", TolerationSeconds = 3 },
            new V1Toleration { Key = "node.kubernetes.io/unreachable", OperatorProperty = "Exists", Effect = "NoExecute", TolerationSeconds = 3 },
        ]);
        var tolerant = MultiNodeSchedulingTests.Pod("tolerant");
        tolerant.Spec.Tolerations = [new V1Toleration { OperatorProperty = "Exists" }];
        (await Client.CoreV1.CreateNamespacedPodAsync(tolerant, Ns)).Spec.Tolerations.Should().ContainSingle("a toleration of everything already covers both taints");
    }

    [Test]
    public async Task A_Silent_Node_Goes_Unknown_Its_Pods_Are_Evicted_And_Replaced_And_It_Comes_Back()
    {
        await Client.AppsV1.CreateNamespacedDeploymentAsync(LifecycleTests.Deployment("web", replicas: 2), Ns);
        var stay = MultiNodeSchedulingTests.Pod("stay");
        stay.Spec.NodeSelector = new Dictionary<string, string> { ["kubernetes.io/hostname"] = "sandbox-node-1" };
        stay.Spec.Tolerations = [new V1Toleration { Key = "node.kubernetes.io/unreachable", OperatorProperty = "Exists", Effect = "NoExecute" }];
        await Client.CoreV1.CreateNamespacedPodAsync(stay, Ns);
        var pods = await Eventually(() => Client.CoreV1.ListNamespacedPodAsync(Ns), l => l.Items.Count == 3 && l.Items.All(p => p.Status.Phase == "Running"), "three running pods");
        var doomed = pods.Items.Single(p => p.Metadata.Name.StartsWith("web-", StringComparison.Ordinal) && p.Spec.NodeName == "sandbox-node-1");

        _outages.Crash("sandbox-node-1");
        try
        {
            var node = await Eventually(() => Client.CoreV1.ReadNodeAsync("sandbox-node-1"),
                n => n.Spec.Taints?.Count(t => t.Key == "node.kubernetes.io/unreachable") == 2, "the node to be tainted unreachable", timeoutSeconds: 10);
            node.Status.Conditions.Single(c => c.Type == "Ready").Should().Match<V1NodeCondition>(c => c.Status == "Unknown" && c.Reason == "NodeStatusUnknown");
            node.Spec.Taints.Select(t => t.Effect).Should().BeEquivalentTo(["NoSchedule", "NoExecute"]);
            (await Client.CoreV1.ReadNodeAsync("sandbox-node-2")).Status.Conditions.Single(c => c.Type == "Ready").Status.Should().Be("True");
            (await Client.CoreV1.ReadNamespacedPodAsync("stay", Ns)).Status.Conditions.Single(c => c.Type == "Ready").Status.Should().Be("False");

            var evicted = await Eventually(() => Client.CoreV1.ReadNamespacedPodAsync(doomed.Metadata.Name, Ns), p => p.Metadata.DeletionTimestamp is not null, "the eviction", timeoutSeconds: 10);
            evicted.Status.Conditions.Should().Contain(c => c.Type == "DisruptionTarget" && c.Reason == "DeletionByTaintManager");
            var replaced = await Eventually(() => Client.CoreV1.ListNamespacedPodAsync(Ns, labelSelector: "app=web"),
                l => l.Items.Count(p => p.Metadata.DeletionTimestamp is null && p.Status.Phase == "Running") == 2, "a replacement to run");
            replaced.Items.Where(p => p.Metadata.DeletionTimestamp is null).Select(p => p.Spec.NodeName).Should().AllBe("sandbox-node-2", "the unreachable node takes no new pods");
            await Task.Delay(500);
            (await Client.CoreV1.ReadNamespacedPodAsync(doomed.Metadata.Name, Ns)).Metadata.DeletionTimestamp.Should().NotBeNull("a dead kubelet never finishes the deletion");
            (await Client.CoreV1.ReadNamespacedPodAsync("stay", Ns)).Metadata.DeletionTimestamp.Should().BeNull("a toleration without tolerationSeconds keeps the pod");
        }
        finally
        {
            _outages.Recover("sandbox-node-1");
        }

        var back = await Eventually(() => Client.CoreV1.ReadNodeAsync("sandbox-node-1"), n => n.Spec.Taints is null or { Count: 0 }, "the taints to go", timeoutSeconds: 10);
        back.Status.Conditions.Single(c => c.Type == "Ready").Status.Should().Be("True");
        await Eventually(() => Client.CoreV1.ListNamespacedPodAsync(Ns), l => l.Items.All(p => p.Metadata.Name != doomed.Metadata.Name), "the evicted pod to be finished by the returning kubelet");
        var restarted = await Eventually(() => Client.CoreV1.ReadNamespacedPodAsync("stay", Ns),
            p => p.Status.Conditions.Single(c => c.Type == "Ready").Status == "True", "the kept pod to be restarted");
        restarted.Status.ContainerStatuses.Single().RestartCount.Should().Be(1);
    }
}
