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
/// every IPAM-only Subnet as it was last accepted (its <see cref="AcceptedSpec"/> record, else its spec when valid),
/// then every existing Service's recorded allocation. The record is the operator's own IpAllocation objects; a
/// Service without any may still claim what an earlier version recorded in its annotations, else what its gateway
/// Deployment announces, but such claims are trusted less: they never take an address from an IpAllocation. Every
/// record is checked (never the gateway, the network or broadcast address, an address outside the CIDR, or an
/// address already held); each refusal is a Warning Event on the Service and shows in the Subnet's
/// <c>RecordsAdopted</c> condition. Nothing is handed out before this has run, so a restart never gives a held
/// address to another Service. The Subnet controller then applies each spec by the IPAM's rules, so an edit refused
/// before the restart is refused again.
/// </summary>
internal sealed class IpamRebuildTask(
    IpamState ipam,
    IEntityCache<V1Subnet> subnets,
    IEntityCache<V1Service> services,
    IEntityCache<V1Deployment> deployments,
    IEntityCache<V1IpAllocation> records,
    RebuildFindings findings,
    KubeOvnAddresses kubeOvn,
    EventPublisher publish,
    ILogger<IpamRebuildTask> logger) : IOperatorStartupTask
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var definitions = SubnetsInEffect();
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
        // Before any Service is reconciled: what Kube-OVN's IPAM gave out is never handed to one.
        foreach (var definition in definitions)
        {
            ipam.SetHeldElsewhere(definition.Name, kubeOvn.In(definition.Name));
        }

        findings.Replace(report);
        logger.Rebuilt(definitions.Count, report.Adopted.Count, report.Conflicts.Count, report.Rejected.Count);
        foreach (var definition in definitions.Where(d => ipam.GetSubnet(d.Name) is null))
        {
            logger.RebuildSubnetLeftOut(definition.Name, definition.CidrBlock);
        }

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
