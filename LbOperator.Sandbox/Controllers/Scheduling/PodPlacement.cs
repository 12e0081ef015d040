using k8s.Models;

namespace LbOperator.Sandbox.Controllers.Scheduling;

/// <summary>A pod already bound to a node, or placed there earlier in the same scheduling pass.</summary>
public sealed record PlacedPod(V1Pod Pod, string NodeName);

/// <summary>Where a pod goes: a node, or why none fits (the scheduler's "0/N nodes are available: …" message).</summary>
public sealed record Placement(string? NodeName, string? Message);

/// <summary>
/// What the scheduler knows when it places a pod: the nodes, the pods on them, and namespace labels (for affinity
/// terms with a namespaceSelector). Pure: no server, so each predicate is unit-tested on its own.
/// </summary>
public sealed record SchedulingSnapshot(IReadOnlyList<V1Node> Nodes, IReadOnlyList<PlacedPod> Placed, IReadOnlyDictionary<string, IDictionary<string, string>> NamespaceLabels);

/// <summary>
/// The scheduler's filters and its one scoring rule. A node is feasible when it is schedulable, matches the pod's
/// nodeSelector and required node affinity, has no NoSchedule/NoExecute taint the pod does not tolerate, satisfies
/// the pod's required pod affinity and anti-affinity, and no pod there has a required anti-affinity against this
/// pod. Among feasible nodes the one with the fewest pods wins, ties broken by name.
/// </summary>
public static class PodPlacement
{
    public const string NodeUnschedulable = "node(s) were unschedulable";
    public const string NodeAffinityMismatch = "node(s) didn't match Pod's node affinity/selector";
    public const string PodAffinityMismatch = "node(s) didn't match pod affinity rules";
    public const string PodAntiAffinityMismatch = "node(s) didn't match pod anti-affinity rules";
    public const string ExistingAntiAffinityMismatch = "node(s) didn't satisfy existing pods anti-affinity rules";

    public static Placement Place(V1Pod pod, SchedulingSnapshot snapshot)
    {
        var rejections = new Dictionary<string, int>(StringComparer.Ordinal);
        var feasible = new List<V1Node>();
        foreach (var node in snapshot.Nodes)
        {
            if (Rejection(pod, node, snapshot) is { } reason)
            {
                rejections[reason] = rejections.GetValueOrDefault(reason) + 1;
            }
            else
            {
                feasible.Add(node);
            }
        }

        if (feasible.Count > 0)
        {
            var chosen = feasible
                .OrderBy(n => snapshot.Placed.Count(p => p.NodeName == n.Metadata.Name))
                .ThenBy(n => n.Metadata.Name, StringComparer.Ordinal)
                .First();
            return new Placement(chosen.Metadata.Name, null);
        }

        var reasons = string.Join(", ", rejections.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Value} {r.Key}"));
        return new Placement(null, snapshot.Nodes.Count == 0
            ? "no nodes available to schedule pods"
            : $"0/{snapshot.Nodes.Count} nodes are available: {reasons}.");
    }

    /// <summary>Why the pod cannot go to this node (the first filter that fails), or null when it can.</summary>
    public static string? Rejection(V1Pod pod, V1Node node, SchedulingSnapshot snapshot)
    {
        if (node.Spec?.Unschedulable == true
            && !Tolerations.Tolerates(pod.Spec?.Tolerations, new V1Taint { Key = "node.kubernetes.io/unschedulable", Effect = "NoSchedule" }))
        {
            return NodeUnschedulable;
        }

        if (!MatchesNodeSelectorAndAffinity(pod, node))
        {
            return NodeAffinityMismatch;
        }

        if (Tolerations.FirstBlockingTaint(pod, node) is { } taint)
        {
            return $"node(s) had untolerated taint {{{taint.Key}: {taint.Value}}}";
        }

        if (!SatisfiesPodAffinity(pod, node, snapshot))
        {
            return PodAffinityMismatch;
        }

        if (!SatisfiesPodAntiAffinity(pod, node, snapshot))
        {
            return PodAntiAffinityMismatch;
        }

        return SatisfiesExistingAntiAffinity(pod, node, snapshot) ? null : ExistingAntiAffinityMismatch;
    }

    public static bool MatchesNodeSelectorAndAffinity(V1Pod pod, V1Node node)
    {
        var labels = node.Metadata?.Labels ?? new Dictionary<string, string>();
        foreach (var (key, value) in pod.Spec?.NodeSelector ?? new Dictionary<string, string>())
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        return pod.Spec?.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution is not { } required
            || Selectors.Matches(required, node);
    }

    /// <summary>
    /// Every required affinity term needs a pod it selects in the node's topology domain. A node without the
    /// topology label has no domain. As upstream, the first pod of a group that selects itself may go anywhere
    /// when no pod matches the term yet.
    /// </summary>
    public static bool SatisfiesPodAffinity(V1Pod pod, V1Node node, SchedulingSnapshot snapshot)
    {
        foreach (var term in pod.Spec?.Affinity?.PodAffinity?.RequiredDuringSchedulingIgnoredDuringExecution ?? [])
        {
            var matching = snapshot.Placed.Where(p => Selects(term, pod, p.Pod, snapshot)).ToList();
            if (matching.Count == 0 && Selects(term, pod, pod, snapshot))
            {
                continue;
            }

            if (Domain(node, term.TopologyKey) is not { } domain
                || !matching.Any(p => Domain(NodeOf(p, snapshot), term.TopologyKey) == domain))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>No pod selected by a required anti-affinity term may be in the node's topology domain.</summary>
    public static bool SatisfiesPodAntiAffinity(V1Pod pod, V1Node node, SchedulingSnapshot snapshot)
    {
        foreach (var term in pod.Spec?.Affinity?.PodAntiAffinity?.RequiredDuringSchedulingIgnoredDuringExecution ?? [])
        {
            if (Domain(node, term.TopologyKey) is not { } domain)
            {
                continue;
            }

            if (snapshot.Placed.Any(p => Selects(term, pod, p.Pod, snapshot) && Domain(NodeOf(p, snapshot), term.TopologyKey) == domain))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Anti-affinity is symmetric: a pod already placed keeps pods it rejects out of its domain.</summary>
    public static bool SatisfiesExistingAntiAffinity(V1Pod pod, V1Node node, SchedulingSnapshot snapshot)
    {
        foreach (var existing in snapshot.Placed)
        {
            foreach (var term in existing.Pod.Spec?.Affinity?.PodAntiAffinity?.RequiredDuringSchedulingIgnoredDuringExecution ?? [])
            {
                if (Selects(term, existing.Pod, pod, snapshot)
                    && Domain(node, term.TopologyKey) is { } domain
                    && Domain(NodeOf(existing, snapshot), term.TopologyKey) == domain)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>
    /// Whether the term of <paramref name="owner"/> selects <paramref name="candidate"/>: its labels match and its
    /// namespace is one of the term's (the listed ones, those the namespaceSelector matches, or, with neither,
    /// the owner's own).
    /// </summary>
    public static bool Selects(V1PodAffinityTerm term, V1Pod owner, V1Pod candidate, SchedulingSnapshot snapshot)
    {
        var ownerNamespace = owner.Metadata?.NamespaceProperty ?? "default";
        var candidateNamespace = candidate.Metadata?.NamespaceProperty ?? "default";
        var inNamespaces = term.Namespaces is { Count: > 0 } || term.NamespaceSelector is not null
            ? (term.Namespaces?.Contains(candidateNamespace) ?? false)
              || (term.NamespaceSelector is { } selector
                  && Selectors.Matches(selector, snapshot.NamespaceLabels.GetValueOrDefault(candidateNamespace) ?? new Dictionary<string, string>()))
            : candidateNamespace == ownerNamespace;
        return inNamespaces && Selectors.Matches(term.LabelSelector, candidate.Metadata?.Labels);
    }

    private static V1Node? NodeOf(PlacedPod placed, SchedulingSnapshot snapshot) =>
        snapshot.Nodes.FirstOrDefault(n => n.Metadata.Name == placed.NodeName);

    private static string? Domain(V1Node? node, string topologyKey) =>
        node?.Metadata?.Labels?.TryGetValue(topologyKey, out var value) == true ? value : null;
}
