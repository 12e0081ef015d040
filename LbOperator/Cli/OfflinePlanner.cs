using System.Net;
using k8s.Models;
using LbOperator.Entities;
using LbOperator.Ipam;
using LbOperator.LoadBalancing;

namespace LbOperator.Cli;

/// <summary>What the operator would do for one Service read from manifests.</summary>
internal sealed record PlannedService(
    V1Service Service,
    ServiceOwnership Ownership,
    LoadBalancerIntent? Intent,
    IReadOnlyList<IPAddress> Addresses,
    string? Error)
{
    public string DisplayName => ServiceNames.Display(Service);
}

/// <summary>
/// Runs the operator's decisions offline over manifests: the Service rules, then an in-memory IPAM holding the
/// Subnets read, allocating for the Services in file order (lowest free address, or the requested one).
/// </summary>
internal static class OfflinePlanner
{
    public static IReadOnlyList<PlannedService> Plan(IReadOnlyList<Manifest> manifests, bool requireClusterIp)
    {
        var subnets = manifests.Select(m => m.Entity).OfType<V1Subnet>().ToList();
        var ipam = new IpamService();
        foreach (var subnet in subnets)
        {
            if (SubnetParser.Parse(subnet) is { IsValid: true } parsed && parsed.Definition.IsIpamOnly)
            {
                ipam.ApplySubnet(parsed.Definition);
            }
        }

        var planned = new List<PlannedService>();
        foreach (var service in manifests.Select(m => m.Entity).OfType<V1Service>())
        {
            var ownership = LoadBalancerServiceRules.Classify(service);
            if (ownership != ServiceOwnership.Ours)
            {
                planned.Add(new PlannedService(service, ownership, null, [], null));
                continue;
            }
            var intent = LoadBalancerServiceRules.Resolve(service, subnets, requireClusterIp);
            if (!intent.IsSuccess)
            {
                planned.Add(new PlannedService(service, ownership, null, [], intent.Error));
                continue;
            }
            var owner = new IpamOwner(service.Metadata?.NamespaceProperty ?? "default", service.Metadata?.Name ?? "", service.Metadata?.Uid ?? "");
            var allocation = ipam.Allocate(intent.Value.Subnet.Name, owner, intent.Value.Request);
            planned.Add(allocation is AllocationResult.Allocated allocated
                ? new PlannedService(service, ownership, intent.Value, allocated.Addresses, null)
                : new PlannedService(service, ownership, intent.Value, [], $"Service {ServiceNames.Display(service)}: {allocation.Message}"));
        }
        return planned;
    }

    /// <summary>Why a Service that is not ours is left alone, for messages.</summary>
    public static string Reason(ServiceOwnership ownership) => ownership switch
    {
        ServiceOwnership.NotLoadBalancer => "spec.type is not LoadBalancer",
        ServiceOwnership.NoAttachmentProvider => $"it has no annotation {Annotations.AttachmentProvider}",
        ServiceOwnership.OtherLoadBalancerClass => $"its spec.loadBalancerClass is not {Annotations.LoadBalancerClass}",
        _ => "it is served by LbOperator",
    };
}
