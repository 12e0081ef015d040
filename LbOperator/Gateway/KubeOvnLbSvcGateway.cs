using System.Net;
using k8s.Models;
using LbOperator.LoadBalancing;

namespace LbOperator.Gateway;

/// <summary>
/// Kube-OVN's own lb-svc gateway of a Service, as kube-ovn-controller makes it: Deployment <c>lb-svc-&lt;service&gt;</c>
/// in the Service's namespace, labelled <c>app</c>, <c>namespace</c> and <c>service</c>, with no owner reference and a
/// container <c>lb-svc</c>; its pod carries the address Kube-OVN gave it in <c>&lt;provider&gt;.kubernetes.io/ip_address</c>,
/// and Kube-OVN wrote that address into the Service's <c>status.loadBalancer.ingress</c>. In Kube-OVN mode LbOperator
/// takes such a Service over keeping its address, and replaces the Deployment with its own (docs/kube-ovn.md). Pure.
/// </summary>
public static class KubeOvnLbSvcGateway
{
    public const string ContainerName = "lb-svc";

    /// <summary>The name Kube-OVN gives the Service's gateway Deployment.</summary>
    public static string DeploymentName(V1Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return $"lb-svc-{service.Metadata.Name}";
    }

    /// <summary>True when <paramref name="deployment"/> is Kube-OVN's lb-svc gateway of <paramref name="service"/>.</summary>
    public static bool IsGatewayOf(V1Deployment? deployment, V1Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var labels = deployment?.Metadata?.Labels;
        return deployment is not null && labels is not null
            && deployment.Metadata.Name == DeploymentName(service)
            && deployment.Metadata.NamespaceProperty == service.Metadata.NamespaceProperty
            && (deployment.Metadata.OwnerReferences is null || deployment.Metadata.OwnerReferences.Count == 0)
            && ValueOf(labels, "service") == service.Metadata.Name
            && ValueOf(labels, "namespace") == service.Metadata.NamespaceProperty
            && ValueOf(labels, "app") is { } app && app.StartsWith("lb-svc-", StringComparison.Ordinal)
            && deployment.Spec?.Template?.Spec?.Containers?.Any(c => c.Name == ContainerName) == true;
    }

    /// <summary>The label selector of the Deployment's pods (its <c>matchLabels</c>); null when it has none.</summary>
    public static string? PodSelector(V1Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var labels = deployment.Spec?.Selector?.MatchLabels;
        return labels is null || labels.Count == 0
            ? null
            : string.Join(",", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
    }

    /// <summary>
    /// What LbOperator takes over from Kube-OVN's gateway: the addresses its pods show, which must be the ones in the
    /// Service's status, of the Subnet the plan chose, and those the Service asks for if it names any. Every failure
    /// names what disagrees; the IPAM then checks the addresses like any request.
    /// </summary>
    public static RuleResult<KubeOvnHandover> Handover(V1Service service, ServicePlan plan, V1Deployment deployment, IReadOnlyList<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(pods);
        var who = $"Service {ServiceNames.Display(service)}: taking it over from Kube-OVN's lb-svc gateway Deployment {deployment.Metadata.Name}";
        var key = Annotations.IpAddress(plan.Provider.Name);
        var shown = pods
            .Where(p => p.Metadata?.DeletionTimestamp is null)
            .Select(p => (Pod: p, Addresses: ServiceRecord.ParseAddresses(ValueOf(p.Metadata?.Annotations, key))))
            .Where(p => p.Addresses is { Count: > 0 })
            .ToList();
        if (shown.Count == 0)
        {
            return RuleResult<KubeOvnHandover>.Failure($"{who}: none of its pods shows an address in annotation {key}");
        }

        var addresses = shown[0].Addresses!;
        if (shown.Any(p => !p.Addresses!.SequenceEqual(addresses)))
        {
            return RuleResult<KubeOvnHandover>.Failure(
                $"{who}: its pods show different addresses in {key} ({string.Join("; ", shown.Select(p => $"{p.Pod.Metadata.Name} {string.Join(",", p.Addresses!)}"))})");
        }

        var ingress = service.Status?.LoadBalancer?.Ingress?.Select(i => IPAddress.TryParse(i.Ip, out var ip) ? ip : null).OfType<IPAddress>().ToList() ?? [];
        if (addresses.FirstOrDefault(a => !ingress.Contains(a)) is { } missing)
        {
            return RuleResult<KubeOvnHandover>.Failure(
                $"{who}: its pod holds {missing}, which the Service's status.loadBalancer.ingress ({string.Join(",", ingress)}) does not show");
        }

        var subnet = plan.Subnet;
        var pod = shown[0].Pod;
        if (ValueOf(pod.Metadata.Annotations, Annotations.LogicalSwitch(plan.Provider.Name)) is { Length: > 0 } named && named != subnet.Name)
        {
            return RuleResult<KubeOvnHandover>.Failure($"{who}: its pod's address is of subnet {named}, the Service's is {subnet.Name}");
        }

        if (addresses.FirstOrDefault(a => subnet.Family(a.AddressFamily) is not { } family || !family.Cidr.Contains(a)) is { } outside)
        {
            return RuleResult<KubeOvnHandover>.Failure($"{who}: its pod holds {outside}, which is not in subnet {subnet.Name} ({subnet.CidrBlock})");
        }

        if (!plan.Request.IsDynamic && !plan.Request.StaticAddresses.ToHashSet().SetEquals(addresses))
        {
            return RuleResult<KubeOvnHandover>.Failure(
                $"{who}: the Service asks for {plan.Request}, its pod holds {string.Join(",", addresses)}");
        }

        return RuleResult<KubeOvnHandover>.Success(new KubeOvnHandover(pod.Metadata.Name, addresses));
    }

    private static string? ValueOf(IDictionary<string, string>? map, string key) => map is not null && map.TryGetValue(key, out var value) ? value : null;
}

/// <summary>The addresses Kube-OVN's gateway pod <paramref name="PodName"/> hands over to the Service.</summary>
public sealed record KubeOvnHandover(string PodName, IReadOnlyList<IPAddress> Addresses);
