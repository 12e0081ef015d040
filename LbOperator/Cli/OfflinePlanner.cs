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
    ServicePlan? Plan,
    IReadOnlyList<IPAddress> Addresses,
    string? Error)
{
    public string DisplayName => ServiceNames.Display(Service);
}

/// <summary>
/// Runs the operator's decisions offline over manifests: the same <see cref="ServicePlanner"/> the controller uses,
/// then an in-memory IPAM holding the Subnets read, allocating for the Services in file order (lowest free address,
/// or the requested one). A NetworkAttachmentDefinition among the manifests is used; none given is not an error
/// (the cluster may hold it).
/// </summary>
internal static class OfflinePlanner
{
    public static IReadOnlyList<PlannedService> Plan(IReadOnlyList<Manifest> manifests, bool requireClusterIp)
    {
        var subnets = manifests.Select(m => m.Entity).OfType<V1Subnet>().ToList();
        var nads = manifests.Select(m => m.Entity).OfType<V1NetworkAttachmentDefinition>().ToList();
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
            var outcome = ServicePlanner.Plan(service, PlanningInputs.Offline(subnets, ipam.GetSubnet, NetworkAttachmentOf(service, nads), requireClusterIp));
            if (outcome.Plan is not { } plan)
            {
                planned.Add(new PlannedService(service, ownership, null, [], outcome.Problem!.Message));
                continue;
            }
            var owner = new IpamOwner(service.Metadata?.NamespaceProperty ?? "default", service.Metadata?.Name ?? "", service.Metadata?.Uid ?? "");
            var allocation = ipam.Allocate(plan.Subnet.Name, owner, plan.Request);
            planned.Add(allocation is AllocationResult.Allocated allocated
                ? new PlannedService(service, ownership, plan, allocated.Addresses, null)
                : new PlannedService(service, ownership, plan, [], ServicePlanner.ProblemOf(service, allocation).Message));
        }
        return planned;
    }

    /// <summary>The Service's NAD when the manifests hold it; otherwise not checked.</summary>
    private static NetworkAttachmentLookup NetworkAttachmentOf(V1Service service, IReadOnlyList<V1NetworkAttachmentDefinition> nads)
    {
        if (AttachmentProvider.Of(service) is not { IsSuccess: true, Value: { } provider })
        {
            return NetworkAttachmentLookup.NotChecked;
        }
        var nad = nads.FirstOrDefault(n => n.Metadata?.Name == provider.NadName && n.Metadata?.NamespaceProperty == provider.NadNamespace);
        return nad is null ? NetworkAttachmentLookup.NotChecked : NetworkAttachmentLookup.Of(nad);
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
