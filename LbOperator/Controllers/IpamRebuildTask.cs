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
/// every valid IPAM-only Subnet, then every Service's recorded allocation (the record annotations, else the
/// addresses on its gateway Deployment's pod template). Nothing is handed out before this has run, so a restart
/// never gives a held address to another Service; when two Services name the same address, the older keeps it.
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
        var definitions = new List<SubnetDefinition>();
        foreach (var subnet in subnets.List())
        {
            if (!SubnetRules.IsIpamOnly(subnet))
            {
                continue;
            }

            var parsed = SubnetParser.Parse(subnet);
            if (parsed.IsValid)
            {
                definitions.Add(parsed.Definition);
            }
        }

        var records = services.List().Select(RecordOf).OfType<RecordedAllocation>().ToList();
        var report = ipam.Rebuild(definitions, records);
        logger.Rebuilt(definitions.Count, report.Adopted.Count, report.Conflicts.Count, report.Rejected.Count);
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
