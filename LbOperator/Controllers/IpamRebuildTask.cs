using k8s.Models;
using LbOperator.Entities;
using LbOperator.Framework.Runtime;
using LbOperator.Framework.Watcher;
using LbOperator.Gateway;
using LbOperator.Ipam;
using LbOperator.LoadBalancing;
using Microsoft.Extensions.Logging;

namespace LbOperator.Controllers;

/// <summary>
/// Rebuilds the IPAM from the cluster after the initial sync and before the first reconcile of every leader term:
/// every IPAM-only Subnet as it was last accepted (its <see cref="AcceptedSpec"/> record, else its spec when valid),
/// then every Service's recorded allocation (the record annotations, else the addresses on its gateway Deployment's
/// pod template). Nothing is handed out before this has run, so a restart never gives a held address to another
/// Service; when two Services name the same address, the older keeps it. The Subnet controller then applies each
/// spec by the IPAM's rules, so an edit refused before the restart is refused again.
/// </summary>
internal sealed class IpamRebuildTask(
    IpamState ipam,
    IEntityCache<V1Subnet> subnets,
    IEntityCache<V1Service> services,
    IEntityCache<V1Deployment> deployments,
    ILogger<IpamRebuildTask> logger) : IOperatorStartupTask
{
    public Task RunAsync(CancellationToken cancellationToken)
    {
        var definitions = SubnetsInEffect();
        var records = services.List().Select(RecordOf).OfType<RecordedAllocation>().ToList();
        var report = ipam.Rebuild(definitions, records);
        logger.Rebuilt(definitions.Count, report.Adopted.Count, report.Conflicts.Count, report.Rejected.Count);
        foreach (var definition in definitions.Where(d => ipam.GetSubnet(d.Name) is null))
        {
            logger.RebuildSubnetLeftOut(definition.Name, definition.CidrBlock);
        }

        foreach (var conflict in report.Conflicts)
        {
            logger.RebuildConflict(conflict);
        }

        foreach (var rejection in report.Rejected)
        {
            logger.RebuildRejection(rejection);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// The definition of each IPAM-only Subnet to rebuild from: the one recorded as accepted (what the IPAM used before
    /// the restart), else the valid spec of a Subnet never recorded. Recorded ones come first, then oldest first, so
    /// that of two overlapping Subnets the one that was in effect, or else the older, is applied and the other left out.
    /// </summary>
    private List<SubnetDefinition> SubnetsInEffect()
    {
        var chosen = new List<(V1Subnet Subnet, SubnetDefinition Definition, bool Recorded)>();
        foreach (var subnet in subnets.List().Where(SubnetRules.IsIpamOnly))
        {
            var recorded = AcceptedSpec.Read(subnet);
            if (recorded is { IsValid: true })
            {
                chosen.Add((subnet, recorded.Definition, true));
                continue;
            }

            if (recorded is not null)
            {
                logger.AcceptedSpecUnreadable(string.Join("; ", recorded.Errors));
            }

            if (SubnetParser.Parse(subnet) is { IsValid: true } parsed)
            {
                chosen.Add((subnet, parsed.Definition, false));
            }
        }

        chosen.Sort((a, b) => a.Recorded != b.Recorded ? (a.Recorded ? -1 : 1)
            : SubnetOverlap.IsOlder(a.Subnet, b.Subnet) ? -1
            : SubnetOverlap.IsOlder(b.Subnet, a.Subnet) ? 1 : 0);
        return [.. chosen.Select(c => c.Definition)];
    }

    /// <summary>The Service's record, else what its own gateway Deployment's pod template says it holds.</summary>
    private RecordedAllocation? RecordOf(V1Service service)
    {
        if (ServiceRecord.Read(service) is { } record)
        {
            return record;
        }

        if (AttachmentProvider.Of(service) is not { IsSuccess: true, Value: { } provider })
        {
            return null;
        }

        var deployment = deployments.Get(GatewayNames.Deployment(service.Metadata.Name), service.Metadata.NamespaceProperty);
        var annotations = deployment?.Spec?.Template?.Metadata?.Annotations;
        if (deployment is null || !GatewayOwnership.IsGatewayOf(deployment, service) || annotations is null
            || !annotations.TryGetValue(Annotations.LogicalSwitch(provider.Name), out var subnet)
            || !annotations.TryGetValue(Annotations.IpAddress(provider.Name), out var text)
            || ServiceRecord.ParseAddresses(text) is not { Count: > 0 } addresses)
        {
            return null;
        }

        return new RecordedAllocation(ServiceRecord.OwnerOf(service), subnet, addresses, ServiceRecord.CreatedAt(service));
    }
}
