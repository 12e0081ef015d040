using k8s.Models;
using LbOperator.Sandbox.Controllers.Scheduling;

namespace LbOperator.Tests.Sandbox.Scheduling;

[Category("Unit")]
public sealed class PodPlacementTests
{
    private static readonly Dictionary<string, IDictionary<string, string>> Namespaces = new()
    {
        ["default"] = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = "default" },
        ["other"] = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = "other", ["team"] = "b" },
    };

    [Test]
    public void Spreads_To_The_Node_With_Fewest_Pods_Ties_By_Name()
    {
        var nodes = new[] { Node("n-2"), Node("n-1"), Node("n-3") };
        PodPlacement.Place(Pod("a"), Snapshot(nodes)).NodeName.Should().Be("n-1");
        PodPlacement.Place(Pod("b"), Snapshot(nodes, (Pod("a"), "n-1"))).NodeName.Should().Be("n-2");
        PodPlacement.Place(Pod("c"), Snapshot(nodes, (Pod("a"), "n-1"), (Pod("b"), "n-2"), (Pod("x"), "n-1"))).NodeName.Should().Be("n-3");
    }

    [Test]
    public void Node_Selector_Must_Match_Every_Label()
    {
        var pod = Pod("a");
        pod.Spec.NodeSelector = new Dictionary<string, string> { ["zone"] = "b", ["kubernetes.io/os"] = "linux" };
        var placement = PodPlacement.Place(pod, Snapshot([Node("n-1", ("zone", "a")), Node("n-2", ("zone", "b"))]));
        placement.NodeName.Should().Be("n-2");
        pod.Spec.NodeSelector["zone"] = "c";
        PodPlacement.Place(pod, Snapshot([Node("n-1", ("zone", "a")), Node("n-2", ("zone", "b"))])).Message
            .Should().Be("0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector.");
    }

    [TestCase("In", new[] { "a", "b" }, true)]
    [TestCase("In", new[] { "c" }, false)]
    [TestCase("NotIn", new[] { "a" }, false)]
    [TestCase("NotIn", new[] { "c" }, true)]
    [TestCase("Exists", new string[0], true)]
    [TestCase("DoesNotExist", new string[0], false)]
    public void Node_Affinity_Label_Operators(string op, string[] values, bool matches) =>
        PodPlacement.MatchesNodeSelectorAndAffinity(WithNodeAffinity(Requirement("zone", op, values)), Node("n", ("zone", "a")))
            .Should().Be(matches);

    [TestCase("Gt", "3", true)]
    [TestCase("Gt", "4", false)]
    [TestCase("Lt", "5", true)]
    [TestCase("Lt", "4", false)]
    [TestCase("Gt", "x", false)]
    public void Node_Affinity_Compares_Integers(string op, string value, bool matches) =>
        PodPlacement.MatchesNodeSelectorAndAffinity(WithNodeAffinity(Requirement("cores", op, [value])), Node("n", ("cores", "4")))
            .Should().Be(matches);

    [Test]
    public void Missing_Label_Satisfies_NotIn_And_DoesNotExist_Only()
    {
        var node = Node("n");
        PodPlacement.MatchesNodeSelectorAndAffinity(WithNodeAffinity(Requirement("zone", "NotIn", ["a"])), node).Should().BeTrue();
        PodPlacement.MatchesNodeSelectorAndAffinity(WithNodeAffinity(Requirement("zone", "DoesNotExist")), node).Should().BeTrue();
        PodPlacement.MatchesNodeSelectorAndAffinity(WithNodeAffinity(Requirement("zone", "In", ["a"])), node).Should().BeFalse();
        PodPlacement.MatchesNodeSelectorAndAffinity(WithNodeAffinity(Requirement("cores", "Lt", ["9"])), node).Should().BeFalse();
    }

    [Test]
    public void Node_Affinity_Terms_Are_Ored_And_Match_Fields_Name_The_Node()
    {
        var pod = Pod("a");
        pod.Spec.Affinity = new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = NodeSelector(
                [
                    new V1NodeSelectorTerm { MatchExpressions = [Requirement("zone", "In", ["z"])] },
                    new V1NodeSelectorTerm { MatchFields = [Requirement("metadata.name", "In", ["n-2"])] },
                ]),
            },
        };
        PodPlacement.Place(pod, Snapshot([Node("n-1"), Node("n-2"), Node("n-3")])).NodeName.Should().Be("n-2");
        PodPlacement.MatchesNodeSelectorAndAffinity(pod, Node("n-9", ("zone", "z"))).Should().BeTrue();
    }

    [Test]
    public void Untolerated_NoSchedule_And_NoExecute_Taints_Block_PreferNoSchedule_Does_Not()
    {
        var nodes = new[]
        {
            Node("n-1"),
            Node("n-2"),
            Node("n-3"),
        };
        nodes[0].Spec = new V1NodeSpec { Taints = [Taint("NoSchedule", "dedicated", value: "gw")] };
        nodes[1].Spec = new V1NodeSpec { Taints = [Taint("NoExecute", "node.kubernetes.io/unreachable")] };
        nodes[2].Spec = new V1NodeSpec { Taints = [Taint("PreferNoSchedule", "soft")] };
        PodPlacement.Place(Pod("a"), Snapshot(nodes)).NodeName.Should().Be("n-3");
        PodPlacement.Place(Pod("a"), Snapshot(nodes[..2])).Message.Should().Be(
            "0/2 nodes are available: 1 node(s) had untolerated taint {dedicated: gw}, 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }.");

        var tolerant = Pod("b");
        tolerant.Spec.Tolerations = [new V1Toleration { Key = "dedicated", OperatorProperty = "Equal", Value = "gw", Effect = "NoSchedule" }];
        PodPlacement.Place(tolerant, Snapshot(nodes[..2])).NodeName.Should().Be("n-1");
    }

    [Test]
    public void Toleration_Matching_Rules()
    {
        var taint = Taint("NoExecute", "k", value: "v");
        Tolerations.Tolerates(new V1Toleration { OperatorProperty = "Exists" }, taint).Should().BeTrue("an empty key with Exists tolerates everything");
        Tolerations.Tolerates(new V1Toleration { Key = "k", OperatorProperty = "Exists", Effect = "NoExecute" }, taint).Should().BeTrue();
        Tolerations.Tolerates(new V1Toleration { Key = "k", Value = "v" }, taint).Should().BeTrue("Equal is the default operator, an empty effect matches all");
        Tolerations.Tolerates(new V1Toleration { Key = "k", Value = "w" }, taint).Should().BeFalse();
        Tolerations.Tolerates(new V1Toleration { Key = "k", OperatorProperty = "Exists", Effect = "NoSchedule" }, taint).Should().BeFalse();
    }

    [Test]
    public void Time_Allowed_Is_The_Shortest_Matching_Toleration()
    {
        var taints = new[] { Taint("NoExecute", "node.kubernetes.io/unreachable") };
        var pod = Pod("a");
        Tolerations.TimeAllowed(pod, taints).Should().Be(TimeSpan.Zero, "a pod that does not tolerate the taint goes at once");
        pod.Spec.Tolerations =
        [
            new V1Toleration { Key = "node.kubernetes.io/unreachable", OperatorProperty = "Exists", Effect = "NoExecute", TolerationSeconds = 300 },
            new V1Toleration { OperatorProperty = "Exists", TolerationSeconds = 5 },
        ];
        Tolerations.TimeAllowed(pod, taints).Should().Be(TimeSpan.FromSeconds(5));
        pod.Spec.Tolerations = [new V1Toleration { OperatorProperty = "Exists" }];
        Tolerations.TimeAllowed(pod, taints).Should().BeNull("a toleration without tolerationSeconds tolerates forever");
    }

    [Test]
    public void Required_Anti_Affinity_Keeps_Replicas_On_Different_Hosts()
    {
        var nodes = new[] { Node("n-1"), Node("n-2") };
        var first = Gateway("gw-1");
        var second = Gateway("gw-2");
        var third = Gateway("gw-3");
        PodPlacement.Place(second, Snapshot(nodes, (first, "n-1"))).NodeName.Should().Be("n-2");
        PodPlacement.Place(third, Snapshot(nodes, (first, "n-1"), (second, "n-2"))).Message
            .Should().Be("0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules.");
        PodPlacement.Place(third, Snapshot(nodes, (first, "n-1"), (Pod("other", "default", ("app", "other")), "n-2"))).NodeName
            .Should().Be("n-2", "only pods the selector matches count");
    }

    [Test]
    public void Anti_Affinity_Counts_Only_The_Terms_Namespaces()
    {
        var nodes = new[] { Node("n-1") };
        var elsewhere = Pod("gw-x", "other", ("app", "gw"));
        PodPlacement.Place(Gateway("gw-1"), Snapshot(nodes, (elsewhere, "n-1"))).NodeName.Should().Be("n-1", "by default only the pod's own namespace counts");

        var byList = Gateway("gw-2");
        byList.Spec.Affinity.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution[0].Namespaces = ["other"];
        PodPlacement.Place(byList, Snapshot(nodes, (elsewhere, "n-1"))).NodeName.Should().BeNull();

        var bySelector = Gateway("gw-3");
        bySelector.Spec.Affinity.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution[0].NamespaceSelector =
            new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["team"] = "b" } };
        PodPlacement.Place(bySelector, Snapshot(nodes, (elsewhere, "n-1"))).NodeName.Should().BeNull();
    }

    [Test]
    public void Anti_Affinity_Label_Selector_Expressions()
    {
        var pod = Pod("a");
        pod.Spec.Affinity = new V1Affinity
        {
            PodAntiAffinity = new V1PodAntiAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution =
                [
                    new V1PodAffinityTerm
                    {
                        TopologyKey = "kubernetes.io/hostname",
                        LabelSelector = new V1LabelSelector { MatchExpressions = [LabelRequirement("tier", "In", ["db", "cache"])] },
                    },
                ],
            },
        };
        var nodes = new[] { Node("n-1"), Node("n-2") };
        PodPlacement.Place(pod, Snapshot(nodes, (Pod("c", "default", ("tier", "cache")), "n-1"), (Pod("w", "default", ("tier", "web")), "n-2")))
            .NodeName.Should().Be("n-2");
    }

    [Test]
    public void Existing_Pods_Anti_Affinity_Is_Symmetric()
    {
        var nodes = new[] { Node("n-1"), Node("n-2") };
        var plain = Pod("plain", "default", ("app", "gw"));
        PodPlacement.Place(plain, Snapshot(nodes, (Gateway("gw-1"), "n-1"), (Pod("x"), "n-2"), (Pod("y"), "n-2"))).NodeName
            .Should().Be("n-2", "gw-1 rejects pods labelled app=gw beside it, though n-1 has fewer pods");
    }

    [Test]
    public void Anti_Affinity_Over_A_Zone_Spans_Its_Nodes()
    {
        var nodes = new[] { Node("n-1", ("zone", "a")), Node("n-2", ("zone", "a")), Node("n-3", ("zone", "b")) };
        var zoned = Gateway("gw-2", "zone");
        PodPlacement.Place(zoned, Snapshot(nodes, (Gateway("gw-1", "zone"), "n-1"))).NodeName.Should().Be("n-3");
    }

    [Test]
    public void Required_Affinity_Needs_A_Matching_Pod_In_The_Domain_But_The_First_Of_A_Group_Goes_Anywhere()
    {
        var nodes = new[] { Node("n-1"), Node("n-2") };
        var follower = Pod("f", "default", ("app", "web"));
        follower.Spec.Affinity = new V1Affinity
        {
            PodAffinity = new V1PodAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution =
                [
                    new V1PodAffinityTerm { TopologyKey = "kubernetes.io/hostname", LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "db" } } },
                ],
            },
        };
        PodPlacement.Place(follower, Snapshot(nodes, (Pod("db", "default", ("app", "db")), "n-2"), (Pod("x"), "n-1"))).NodeName.Should().Be("n-2");
        PodPlacement.Place(follower, Snapshot(nodes)).Message.Should().Be("0/2 nodes are available: 2 node(s) didn't match pod affinity rules.");

        var selfSelecting = Pod("db-1", "default", ("app", "db"));
        selfSelecting.Spec.Affinity = follower.Spec.Affinity;
        PodPlacement.Place(selfSelecting, Snapshot(nodes)).NodeName.Should().Be("n-1");
    }

    [Test]
    public void Unschedulable_Nodes_Are_Skipped()
    {
        var cordoned = Node("n-1");
        cordoned.Spec = new V1NodeSpec { Unschedulable = true };
        PodPlacement.Place(Pod("a"), Snapshot([cordoned, Node("n-2")])).NodeName.Should().Be("n-2");
        PodPlacement.Place(Pod("a"), Snapshot([cordoned])).Message.Should().Be("0/1 nodes are available: 1 node(s) were unschedulable.");
    }

    private static V1NodeSelectorRequirement Requirement(string key, string op, IList<string>? values = null) =>
        new() { Key = key, OperatorProperty = op, Values = values };

    private static V1LabelSelectorRequirement LabelRequirement(string key, string op, IList<string>? values = null) =>
        new() { Key = key, OperatorProperty = op, Values = values };

    private static V1Taint Taint(string effect, string key, string? value = null) => new() { Effect = effect, Key = key, Value = value };

    private static V1NodeSelector NodeSelector(IList<V1NodeSelectorTerm> terms) => new() { NodeSelectorTerms = terms };

    private static V1Pod WithNodeAffinity(V1NodeSelectorRequirement requirement)
    {
        var pod = Pod("a");
        pod.Spec.Affinity = new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = NodeSelector([new V1NodeSelectorTerm { MatchExpressions = [requirement] }]),
            },
        };
        return pod;
    }

    private static V1Pod Gateway(string name, string topologyKey = "kubernetes.io/hostname")
    {
        var pod = Pod(name, "default", ("app", "gw"));
        pod.Spec.Affinity = new V1Affinity
        {
            PodAntiAffinity = new V1PodAntiAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution =
                [
                    new V1PodAffinityTerm { TopologyKey = topologyKey, LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "gw" } } },
                ],
            },
        };
        return pod;
    }

    private static V1Pod Pod(string name, string ns = "default", params (string Key, string Value)[] labels) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels.ToDictionary(l => l.Key, l => l.Value) },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "c" }] },
    };

    private static V1Node Node(string name, params (string Key, string Value)[] labels)
    {
        var all = labels.ToDictionary(l => l.Key, l => l.Value);
        all["kubernetes.io/hostname"] = name;
        all["kubernetes.io/os"] = "linux";
        return new V1Node { Metadata = new V1ObjectMeta { Name = name, Labels = all } };
    }

    private static SchedulingSnapshot Snapshot(IReadOnlyList<V1Node> nodes, params (V1Pod Pod, string Node)[] placed) =>
        new(nodes, [.. placed.Select(p => new PlacedPod(p.Pod, p.Node))], Namespaces.ToDictionary(n => n.Key, n => n.Value));
}
