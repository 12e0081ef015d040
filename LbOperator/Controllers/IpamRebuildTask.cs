using k8s.Models;
using LbOperator.Entities;
using LbOperator.Framework.Events;
using LbOperator.Framework.Runtime;
using LbOperator.Framework.Watcher;
using LbOperator.Gateway;
using LbOperator.Ipam;
using LbOperator.LoadBalancing;
using Microsoft.Extensions.Logging;

namespace LbOperator.Controllers;

/// <summary>
/// Rebuilds the IPAM from the cluster after the initial sync and before the first reconcile of every leader term:
/// every valid IPAM-only Subnet, then every existing Service's recorded allocation. The record is the operator's own
/// IpAllocation objects; a Service without any may still claim what an earlier version recorded in its annotations,
/// else what its gateway Deployment announces, but such claims are trusted less: they never take an address from an
/// IpAllocation. Every record is checked (never the gateway, the network or broadcast address, an address outside
/// the CIDR, or an address already held); each refusal is a Warning Event on the Service and shows in the Subnet's
/// <c>RecordsAdopted</c> condition. Nothing is handed out before this has run, so a restart never gives a held
/// address to another Service.
/// </summary>
internal sealed class IpamRebuildTask(
    IpamState ipam,
    IEntityCache<V1Subnet> subnets,
    IEntityCache<V1Service> services,
    IEntityCache<V1Deployment> deployments,
    IEntityCache<V1IpAllocation> records,
    RebuildFindings findings,
    EventPublisher publish,
    ILogger<IpamRebuildTask> logger) : IOperatorStartupTask
{
    public async Task RunAsync(CancellationToken cancellationToken)
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

        var byOwner = new Dictionary<IpamOwner, List<AllocationRecord>>();
        foreach (var record in records.List())
        {
            if (AllocationRecords.Read(record) is not { } read)
            {
                logger.UnreadableRecord(record.Metadata.Name);
                continue;
            }

            if (!byOwner.TryGetValue(read.Owner, out var list))
            {
                byOwner[read.Owner] = list = [];
            }

            list.Add(read);
        }

        var claims = new List<RecordedAllocation>();
        var serviceByOwner = new Dictionary<IpamOwner, V1Service>();
        foreach (var service in services.List())
        {
            var owner = ServiceRecord.OwnerOf(service);
            serviceByOwner[owner] = service;
            if (ClaimOf(service, owner, byOwner) is { } claim)
            {
                claims.Add(claim);
            }
        }

        var recordCount = byOwner.Values.Sum(l => l.Count);
        var orphans = byOwner.Keys.Count(o => !serviceByOwner.ContainsKey(o));
        var legacy = claims.Count(c => c.Source == RecordSource.ServiceAnnotation);
        var gateways = claims.Count(c => c.Source == RecordSource.GatewayDeployment);
        logger.RebuildSources(recordCount, orphans, legacy, gateways);

        var report = ipam.Rebuild(definitions, claims);
        findings.Replace(report);
        logger.Rebuilt(definitions.Count, report.Adopted.Count, report.Conflicts.Count, report.Rejected.Count);
        foreach (var conflict in report.Conflicts)
        {
            logger.RebuildConflict(conflict);
            await ReportAsync(serviceByOwner, conflict.Record, conflict.ToString(), cancellationToken);
        }

        foreach (var rejection in report.Rejected)
        {
            logger.RebuildRejection(rejection);
            await ReportAsync(serviceByOwner, rejection.Record, rejection.Reason, cancellationToken);
        }
    }

    /// <summary>
    /// The Service's claim: its IpAllocations; without any, its record annotations (an earlier version's record);
    /// without those, what its own gateway Deployment announces.
    /// </summary>
    private RecordedAllocation? ClaimOf(V1Service service, IpamOwner owner, Dictionary<IpamOwner, List<AllocationRecord>> byOwner)
    {
        if (byOwner.TryGetValue(owner, out var own) && AllocationRecords.Adoptable(owner, ServiceRecord.CreatedAt(service), own) is { } recorded)
        {
            return recorded;
        }

        return ServiceRecord.Read(service)
            ?? GatewayAnnouncement.Of(deployments.Get(GatewayNames.Deployment(service.Metadata.Name), service.Metadata.NamespaceProperty), service);
    }

    private Task ReportAsync(Dictionary<IpamOwner, V1Service> services, RecordedAllocation record, string why, CancellationToken cancellationToken) =>
        services.TryGetValue(record.Owner, out var service)
            ? publish(service, EventReasons.RecordRefused,
                $"The recorded allocation {string.Join(",", record.Addresses)} of subnet {record.Subnet} was not adopted after the operator restarted: {why}; " +
                "the Service asks for an address again", EventType.Warning, cancellationToken)
            : Task.CompletedTask;
}
