using k8s.Models;

namespace LbOperator.Gateway;

/// <summary>
/// The PodDisruptionBudget of a highly available gateway: a voluntary disruption (a node drain, an eviction) may take
/// at most one of its pods at a time, so the address always has a pod to go to. Named and labelled as the gateway
/// Deployment, owned by the Service. A single-replica gateway has none: a budget would either block every drain or
/// protect nothing.
/// </summary>
public static class GatewayDisruptionBudget
{
    public static V1PodDisruptionBudget Build(V1Deployment gateway)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        return new V1PodDisruptionBudget
        {
            ApiVersion = "policy/v1",
            Kind = "PodDisruptionBudget",
            Metadata = new V1ObjectMeta
            {
                Name = gateway.Metadata.Name,
                NamespaceProperty = gateway.Metadata.NamespaceProperty,
                Labels = new Dictionary<string, string>(gateway.Metadata.Labels),
                OwnerReferences = [.. gateway.Metadata.OwnerReferences],
            },
            Spec = new V1PodDisruptionBudgetSpec
            {
                MaxUnavailable = 1,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string>(gateway.Spec.Selector.MatchLabels) },
            },
        };
    }

    /// <summary>What differs between a live budget and the built one (spec and the labels the builder sets).</summary>
    public static IReadOnlyList<string> Differences(V1PodDisruptionBudget live, V1PodDisruptionBudget desired)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(desired);
        var differences = new List<string>();
        if (live.Spec?.MaxUnavailable?.Value != desired.Spec.MaxUnavailable.Value || live.Spec?.MinAvailable is not null)
        {
            differences.Add("spec.maxUnavailable");
        }
        var selector = live.Spec?.Selector;
        if (selector?.MatchExpressions is { Count: > 0 } || selector?.MatchLabels is not { } labels
            || labels.Count != desired.Spec.Selector.MatchLabels.Count || desired.Spec.Selector.MatchLabels.Any(l => ValueOf(labels, l.Key) != l.Value))
        {
            differences.Add("spec.selector");
        }
        if (live.Spec?.UnhealthyPodEvictionPolicy is not null)
        {
            differences.Add("spec.unhealthyPodEvictionPolicy");
        }
        if (desired.Metadata.Labels.Any(l => ValueOf(live.Metadata?.Labels, l.Key) != l.Value))
        {
            differences.Add("metadata.labels");
        }
        return differences;
    }

    private static string? ValueOf(IDictionary<string, string>? labels, string key) =>
        labels is not null && labels.TryGetValue(key, out var value) ? value : null;
}
