using k8s.Models;
using LbOperator.Entities;
using LbOperator.Ipam;

namespace LbOperator.LoadBalancing;

/// <summary>
/// Picks the Subnet a Service's address comes from: the one named by <c>&lt;provider&gt;.kubernetes.io/logical_switch</c>,
/// else the Subnet whose <c>spec.provider</c> is the Service's provider (several: the oldest, then by name). Subnets of
/// Kube-OVN's own networks (provider <c>ovn</c> or <c>*.ovn</c>) are never chosen.
/// <para>
/// <c>spec.namespaces</c> reserves a Subnet for the namespaces it lists, as it binds a Subnet to namespaces in
/// Kube-OVN: a named Subnet reserved for other namespaces is refused (<see cref="EventReasons.SubnetNotAllowed"/>);
/// without the annotation such Subnets are skipped, and a Subnet listing the Service's namespace comes before the
/// open ones (Kube-OVN gives a namespace its bound Subnets first). When every Subnet of the provider is reserved for
/// others, the Service is refused with the same reason. <c>spec.namespaceSelectors</c> is not evaluated (that needs
/// the namespaces' labels): a Subnet that has selectors admits only the namespaces it lists, so it never serves more
/// than its admin meant.
/// </para>
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
        var ns = service.Metadata?.NamespaceProperty ?? "default";
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
            if (Admission(named, ns) == Admitted.No)
            {
                return RuleResult<V1Subnet>.Failure(
                    $"{who}: annotation {switchKey} names Subnet \"{requested}\", which {Reservation(named)}, not for namespace {ns}; " +
                    $"name a Subnet open to namespace {ns}, or ask the cluster admin to add {ns} to spec.namespaces of Subnet {requested}",
                    EventReasons.SubnetNotAllowed);
            }
            return RuleResult<V1Subnet>.Success(named);
        }

        var ofProvider = candidates.Where(s => ProviderOf(s) == provider.Name).ToList();
        var chosen = ofProvider
            .Where(s => Admission(s, ns) != Admitted.No)
            .OrderBy(s => Admission(s, ns) == Admitted.Listed ? 0 : 1)
            .ThenBy(s => s.Metadata?.CreationTimestamp ?? DateTime.MaxValue)
            .ThenBy(s => s.Metadata?.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        if (chosen is not null)
        {
            return RuleResult<V1Subnet>.Success(chosen);
        }

        if (ofProvider.Count > 0)
        {
            var reserved = string.Join("; ", ofProvider
                .OrderBy(s => s.Metadata?.Name, StringComparer.Ordinal)
                .Take(5)
                .Select(s => $"{s.Metadata?.Name} ({(s.Spec?.Namespaces is { Count: > 0 } listed ? string.Join(", ", listed.Take(10)) : "spec.namespaceSelectors, not evaluated")})"));
            return RuleResult<V1Subnet>.Failure(
                $"{who}: every Subnet of provider \"{provider.Name}\" is reserved by spec.namespaces for other namespaces " +
                $"({reserved}{(ofProvider.Count > 5 ? "; …" : "")}), not for namespace {ns}; " +
                $"ask the cluster admin to add {ns} to spec.namespaces of one of them, or to create a Subnet for it",
                EventReasons.SubnetNotAllowed);
        }

        return RuleResult<V1Subnet>.Failure(
            $"{who}: no Subnet has spec.provider \"{provider.Name}\"; create one, or name one with annotation {switchKey}");
    }

    private enum Admitted
    {
        /// <summary>The Subnet reserves itself for no namespace.</summary>
        Open,

        /// <summary>The Subnet lists the namespace in spec.namespaces.</summary>
        Listed,

        /// <summary>The Subnet is reserved for other namespaces.</summary>
        No,
    }

    private static Admitted Admission(V1Subnet subnet, string ns)
    {
        var namespaces = subnet.Spec?.Namespaces;
        if (namespaces is { Count: > 0 } && namespaces.Contains(ns, StringComparer.Ordinal))
        {
            return Admitted.Listed;
        }

        return namespaces is { Count: > 0 } || subnet.Spec?.NamespaceSelectors is { Count: > 0 } ? Admitted.No : Admitted.Open;
    }

    private static string Reservation(V1Subnet subnet)
    {
        var listed = subnet.Spec?.Namespaces is { Count: > 0 } namespaces
            ? $"spec.namespaces reserves for namespaces {string.Join(", ", namespaces.Take(10))}{(namespaces.Count > 10 ? ", …" : "")}"
            : "spec.namespaces reserves for no namespace";
        return subnet.Spec?.NamespaceSelectors is { Count: > 0 }
            ? $"{listed} (its spec.namespaceSelectors are not evaluated by LbOperator; list the namespaces in spec.namespaces)"
            : listed;
    }

    private static string ProviderOf(V1Subnet subnet) =>
        string.IsNullOrEmpty(subnet.Spec?.Provider) ? SubnetDefinition.OvnProvider : subnet.Spec.Provider;
}
