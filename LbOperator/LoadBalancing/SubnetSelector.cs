using k8s.Models;
using LbOperator.Entities;
using LbOperator.Ipam;

namespace LbOperator.LoadBalancing;

/// <summary>
/// Picks the Subnet a Service's address comes from: the one named by <c>&lt;provider&gt;.kubernetes.io/logical_switch</c>,
/// else the Subnet whose <c>spec.provider</c> is the Service's provider (several: the oldest, then by name). Subnets of
/// Kube-OVN's own networks (provider <c>ovn</c> or <c>*.ovn</c>) are never chosen.
/// </summary>
public static class SubnetSelector
{
    public static RuleResult<V1Subnet> Select(V1Service service, AttachmentProvider provider, IEnumerable<V1Subnet> subnets)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(subnets);
        var candidates = subnets.ToList();
        var who = $"Service {ServiceNames.Display(service)}";
        var switchKey = Annotations.LogicalSwitch(provider.Name);
        string? requested = null;
        service.Metadata?.Annotations?.TryGetValue(switchKey, out requested);

        if (!string.IsNullOrEmpty(requested))
        {
            var named = candidates.FirstOrDefault(s => s.Metadata?.Name == requested);
            if (named is null)
            {
                return RuleResult<V1Subnet>.Failure($"{who}: annotation {switchKey} names Subnet {MessageText.Quote(requested)}, which does not exist");
            }
            var namedProvider = ProviderOf(named);
            if (SubnetDefinition.IsOvnProvider(namedProvider))
            {
                return RuleResult<V1Subnet>.Failure(
                    $"{who}: annotation {switchKey} names Subnet {MessageText.Quote(requested)}, whose provider {MessageText.Quote(namedProvider)} is a Kube-OVN network; " +
                    $"name a Subnet with spec.provider: {provider.Name}");
            }
            if (namedProvider != provider.Name)
            {
                return RuleResult<V1Subnet>.Failure(
                    $"{who}: annotation {switchKey} names Subnet {MessageText.Quote(requested)} of provider {MessageText.Quote(namedProvider)}, " +
                    $"but the Service's attachment provider is \"{provider.Name}\"; name a Subnet with spec.provider: {provider.Name}");
            }
            return RuleResult<V1Subnet>.Success(named);
        }

        var chosen = candidates
            .Where(s => ProviderOf(s) == provider.Name)
            .OrderBy(s => s.Metadata?.CreationTimestamp ?? DateTime.MaxValue)
            .ThenBy(s => s.Metadata?.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        return chosen is null
            ? RuleResult<V1Subnet>.Failure(
                $"{who}: no Subnet has spec.provider \"{provider.Name}\"; create one, or name one with annotation {switchKey}")
            : RuleResult<V1Subnet>.Success(chosen);
    }

    private static string ProviderOf(V1Subnet subnet) =>
        string.IsNullOrEmpty(subnet.Spec?.Provider) ? SubnetDefinition.OvnProvider : subnet.Spec.Provider;
}
