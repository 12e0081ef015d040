using k8s;
using k8s.Models;
using LbOperator.Sandbox;

namespace LbOperator.Tests.Sandbox;

/// <summary>A two-node sandbox: Node objects, heartbeats and the scheduler's placement, without networking.</summary>
[Category("Sandbox")]
public sealed class MultiNodeSchedulingTests : SandboxTestBase
{
    protected override SandboxOptions Options => base.Options with { Nodes = SandboxNode.Cluster(2) };

    [Test]
    public async Task Registers_One_Ready_Node_Per_Simulated_Node_With_A_Renewed_Lease()
    {
        var nodes = await Client.CoreV1.ListNodeAsync();
        nodes.Items.Select(n => n.Metadata.Name).Should().Equal("sandbox-node-1", "sandbox-node-2");
        var second = nodes.Items[1];
        second.Metadata.Labels.Should().Contain("kubernetes.io/hostname", "sandbox-node-2").And.Contain("kubernetes.io/os", "linux").And.ContainKey("kubernetes.io/arch");
        second.Status.Addresses.Should().ContainEquivalentOf(new V1NodeAddress { Type = "InternalIP", Address = "172.18.0.3" });
        second.Spec.PodCIDR.Should().Be("10.16.2.0/24");
        second.Status.Capacity.Should().ContainKey("pods");
        second.Status.Conditions.Should().ContainSingle(c => c.Type == "Ready").Which.Status.Should().Be("True");

        var lease = await Eventually(() => Client.CoordinationV1.ReadNamespacedLeaseAsync("sandbox-node-2", "kube-node-lease"), l => l.Spec.RenewTime is not null, "the node's lease");
        lease.Spec.HolderIdentity.Should().Be("sandbox-node-2");
        lease.Metadata.OwnerReferences.Should().ContainSingle(o => o.Kind == "Node" && o.Name == "sandbox-node-2");
        var first = lease.Spec.RenewTime;
        await Eventually(() => Client.CoordinationV1.ReadNamespacedLeaseAsync("sandbox-node-2", "kube-node-lease"), l => l.Spec.RenewTime > first, "the lease to be renewed", timeoutSeconds: 20);
    }

    [Test]
    public async Task Required_Anti_Affinity_Puts_Two_Replicas_On_Two_Nodes_And_Leaves_A_Third_Pending()
    {
        var deployment = LifecycleTests.Deployment("gw", replicas: 3);
        deployment.Spec.Template.Spec.Affinity = new V1Affinity
        {
            PodAntiAffinity = new V1PodAntiAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution =
                [
                    new V1PodAffinityTerm
                    {
                        TopologyKey = "kubernetes.io/hostname",
                        LabelSelector = new V1LabelSelector { MatchExpressions = [new V1LabelSelectorRequirement { Key = "app", OperatorProperty = "In", Values = ["gw"] }] },
                    },
                ],
            },
        };
        await Client.AppsV1.CreateNamespacedDeploymentAsync(deployment, Ns);

        var pods = await Eventually(() => Client.CoreV1.ListNamespacedPodAsync(Ns), l => l.Items.Count == 3 && l.Items.Count(p => p.Status.Phase == "Running") == 2
            && l.Items.Any(p => p.Status.Conditions?.Any(c => c.Type == "PodScheduled" && c.Status == "False") == true), "two running pods and one unschedulable");
        pods.Items.Where(p => p.Status.Phase == "Running").Select(p => p.Spec.NodeName).Should().BeEquivalentTo(["sandbox-node-1", "sandbox-node-2"]);
        var pending = pods.Items.Single(p => p.Spec.NodeName is null);
        pending.Status.Phase.Should().Be("Pending");
        var scheduled = pending.Status.Conditions.Should().ContainSingle(c => c.Type == "PodScheduled").Subject;
        scheduled.Reason.Should().Be("Unschedulable");
        scheduled.Message.Should().Be("0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules.");
        var events = await Eventually(() => Client.CoreV1.ListNamespacedEventAsync(Ns, fieldSelector: $"involvedObject.name={pending.Metadata.Name}"),
            l => l.Items.Any(e => e.Reason == "FailedScheduling"), "a FailedScheduling event");
        events.Items.Should().Contain(e => e.Reason == "FailedScheduling" && e.Type == "Warning" && e.Source.Component == "default-scheduler");

        // A new node is a change the scheduler retries on (it has no kubelet here, so the pod stays Pending there).
        await Client.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = "extra-" + Ns, Labels = new Dictionary<string, string> { ["kubernetes.io/hostname"] = "extra-" + Ns } } });
        try
        {
            await Eventually(() => Client.CoreV1.ReadNamespacedPodAsync(pending.Metadata.Name, Ns), p => p.Spec.NodeName == "extra-" + Ns, "the pending pod to land on the new node");
        }
        finally
        {
            await Client.CoreV1.DeleteNodeAsync("extra-" + Ns);
        }
    }

    [Test]
    public async Task Node_Selector_And_Taints_Decide_The_Node()
    {
        await Client.CoreV1.PatchNodeAsync(new V1Patch("""{"spec":{"taints":[{"key":"dedicated","value":"gw","effect":"NoSchedule"}]}}""", V1Patch.PatchType.MergePatch), "sandbox-node-1");
        try
        {
            await Client.CoreV1.CreateNamespacedPodAsync(Pod("free"), Ns);
            var pinned = Pod("pinned");
            pinned.Spec.NodeSelector = new Dictionary<string, string> { ["kubernetes.io/hostname"] = "sandbox-node-1" };
            await Client.CoreV1.CreateNamespacedPodAsync(pinned, Ns);
            var tolerant = Pod("tolerant");
            tolerant.Spec.NodeSelector = pinned.Spec.NodeSelector;
            tolerant.Spec.Tolerations = [new V1Toleration { Key = "dedicated", OperatorProperty = "Equal", Value = "gw", Effect = "NoSchedule" }];
            await Client.CoreV1.CreateNamespacedPodAsync(tolerant, Ns);

            (await Eventually(() => Client.CoreV1.ReadNamespacedPodAsync("free", Ns), p => p.Spec.NodeName is not null, "free to be bound")).Spec.NodeName.Should().Be("sandbox-node-2");
            (await Eventually(() => Client.CoreV1.ReadNamespacedPodAsync("tolerant", Ns), p => p.Status.Phase == "Running", "tolerant to run")).Spec.NodeName.Should().Be("sandbox-node-1");
            var unschedulable = await Eventually(() => Client.CoreV1.ReadNamespacedPodAsync("pinned", Ns), p => p.Status.Conditions?.Any(c => c.Reason == "Unschedulable") == true, "pinned to be unschedulable");
            unschedulable.Status.Conditions.Single(c => c.Type == "PodScheduled").Message.Should().Be(
                "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {dedicated: gw}.");
        }
        finally
        {
            await Client.CoreV1.PatchNodeAsync(new V1Patch("""{"spec":{"taints":null}}""", V1Patch.PatchType.MergePatch), "sandbox-node-1");
        }

        // Removing the taint is a node change: the pending pod is retried and lands.
        (await Eventually(() => Client.CoreV1.ReadNamespacedPodAsync("pinned", Ns), p => p.Spec.NodeName is not null, "pinned to be bound")).Spec.NodeName.Should().Be("sandbox-node-1");
    }

    [Test]
    public async Task Pods_Get_Their_Nodes_Address_And_Pod_Cidr()
    {
        var pinned = Pod("on-2");
        pinned.Spec.NodeSelector = new Dictionary<string, string> { ["kubernetes.io/hostname"] = "sandbox-node-2" };
        await Client.CoreV1.CreateNamespacedPodAsync(pinned, Ns);
        var running = await Eventually(() => Client.CoreV1.ReadNamespacedPodAsync("on-2", Ns), p => p.Status.Phase == "Running", "the pod to run");
        running.Status.HostIP.Should().Be("172.18.0.3");
        running.Status.PodIP.Should().StartWith("10.16.2.");
    }

    internal static V1Pod Pod(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "nginx" }] },
    };
}
