using k8s.Models;
using LbOperator.Entities;
using LbOperator.Framework.Builder;
using LbOperator.Framework.Client;
using LbOperator.Framework.Entities;
using LbOperator.Framework.Events;
using LbOperator.Framework.Reconciliation;
using LbOperator.Framework.Reconciliation.Controller;
using LbOperator.Framework.Watcher;
using LbOperator.Ipam;
using LbOperator.LoadBalancing;
using Microsoft.Extensions.Logging;

namespace LbOperator.Controllers;

/// <summary>
/// Runs before <see cref="SubnetController"/> on every IPAM-only Subnet (so the figures it then writes are true):
/// releases every holding of the Subnet whose Service no longer exists (an address nobody would ever give back
/// otherwise), at least once per resync period; and keeps the Subnet's <c>RecordsAdopted</c> condition, which names
/// the records the last IPAM rebuild refused until their Services have an address again.
/// </summary>
public sealed class HoldingSweep(
    IKubernetesClient client,
    IEntityCache<V1Service> services,
    IpamState ipam,
    AllocationRecordWriter records,
    RebuildFindings findings,
    SweepSchedule schedule,
    SubnetStatusWriter status,
    OperatorSettings settings,
    EventPublisher publish,
    TimeProvider time,
    ILogger<HoldingSweep> logger) : IEntityController<V1Subnet>
{
    /// <summary>The Subnet condition about the records refused at the last restart.</summary>
    public const string RecordsAdopted = "RecordsAdopted";

    public async Task<ReconciliationResult<V1Subnet>> ReconcileAsync(V1Subnet entity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var subnet = entity;
        if (!SubnetRules.IsIpamOnly(subnet))
        {
            return ReconciliationResult<V1Subnet>.Success(subnet);
        }

        var name = subnet.Metadata.Name;
        // Every change of a Service wakes its Subnet; looking at all holders each time would cost O(holders) per change.
        if (schedule.IsDue(name, time.GetUtcNow(), settings.ResyncPeriod / 2))
        {
            foreach (var holding in ipam.Holders(name))
            {
                if (await IsGoneAsync(holding.Owner, cancellationToken) && ipam.Release(holding.Owner) is { } released)
                {
                    logger.ReleasedOrphan(released);
                    await records.DeleteAllAsync(released.Owner, cancellationToken);
                    await publish(subnet, EventReasons.OrphanReleased,
                        $"Released {string.Join(",", released.Addresses)}, held for Service {released.Owner} (uid {released.Owner.Uid}), which no longer exists",
                        EventType.Normal, cancellationToken);
                }
            }
        }

        if (Condition(subnet) is { } condition)
        {
            subnet = await status.WriteAsync(subnet, [condition],
                condition.Status ? null : (EventReasons.RecordRefused, condition.Message), cancellationToken);
        }

        return ReconciliationResult<V1Subnet>.Success(subnet);
    }

    public Task<ReconciliationResult<V1Subnet>> DeletedAsync(V1Subnet entity, CancellationToken cancellationToken) =>
        Task.FromResult(ReconciliationResult<V1Subnet>.Success(entity));

    /// <summary>True when no Service of that namespace, name and uid exists (the cache first, then the API server, which is never behind).</summary>
    private async Task<bool> IsGoneAsync(IpamOwner owner, CancellationToken cancellationToken)
    {
        if (services.Get(owner.Name, owner.Namespace)?.Metadata?.Uid == owner.Uid)
        {
            return false;
        }

        var fresh = await client.GetAsync<V1Service>(owner.Name, owner.Namespace, cancellationToken);
        return fresh?.Metadata?.Uid != owner.Uid;
    }

    /// <summary>
    /// False while a Service whose record the last rebuild refused exists, is ours and holds nothing; True once that is
    /// over (only when it was False before); null when the Subnet has nothing to report.
    /// </summary>
    private SubnetStatusWriter.Condition? Condition(V1Subnet subnet)
    {
        var open = findings.Of(subnet.Metadata.Name).Where(f =>
            services.Get(f.Owner.Name, f.Owner.Namespace) is { } service && service.Metadata.Uid == f.Owner.Uid
            && LoadBalancerServiceRules.IsOurs(service) && ipam.Lookup(f.Owner) is null).ToList();
        if (open.Count > 0)
        {
            var shown = string.Join("; ", open.Take(3).Select(f => f.Message));
            return new(RecordsAdopted, false, EventReasons.RecordRefused,
                $"{open.Count} recorded allocation(s) were not adopted at the last restart and their Services hold no address yet: " +
                $"{shown}{(open.Count > 3 ? "; …" : "")}");
        }

        return ConditionList.Find(subnet.Status?.Conditions, RecordsAdopted) is { Status: "False" }
            ? new(RecordsAdopted, true, EventReasons.RecordsAdopted,
                "every Service whose record was refused at the last restart holds an address again or is gone")
            : null;
    }
}

/// <summary>When each Subnet's holdings were last compared with the Services that exist (kept across reconciles).</summary>
public sealed class SweepSchedule
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, DateTimeOffset> _last = new(StringComparer.Ordinal);

    /// <summary>True (and noted) when <paramref name="subnet"/> was not swept within <paramref name="interval"/> before <paramref name="now"/>.</summary>
    public bool IsDue(string subnet, DateTimeOffset now, TimeSpan interval)
    {
        lock (_lock)
        {
            if (_last.TryGetValue(subnet, out var last) && now - last < interval)
            {
                return false;
            }

            _last[subnet] = now;
            return true;
        }
    }
}
