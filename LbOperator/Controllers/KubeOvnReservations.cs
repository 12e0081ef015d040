using System.Net;
using LbOperator.Entities;
using LbOperator.Framework.Client;
using LbOperator.Framework.Entities;
using LbOperator.Framework.Rbac;
using LbOperator.Framework.Watcher;
using LbOperator.LoadBalancing;
using Microsoft.Extensions.Logging;

namespace LbOperator.Controllers;

/// <summary>
/// The other half of one IPAM view beside Kube-OVN: in Kube-OVN mode every address LbOperator records is reserved in
/// Kube-OVN's IPAM by a Vip (<see cref="AddressReservations"/>), so Kube-OVN gives it to no pod. The Vip is made
/// right after the record and goes with it (deleted here, and by the garbage collector through its owner reference
/// if the record goes another way). A gateway starts announcing an address only once Kube-OVN has confirmed the
/// reservation; a gateway already announcing it is never held back.
/// </summary>
[EntityRbac(typeof(V1KubeOvnVip), Verbs = RbacVerb.Get | RbacVerb.List | RbacVerb.Watch | RbacVerb.Create | RbacVerb.Delete)]
public sealed class KubeOvnReservations(
    IKubernetesClient client,
    IEntityCache<V1KubeOvnVip> vips,
    KubeOvnMode mode,
    LbOperatorSettings settings,
    TimeProvider time,
    ILogger<KubeOvnReservations> logger)
{
    /// <summary>Reservations are kept in Kube-OVN mode wherever Kube-OVN's Vip kind is served.</summary>
    public bool AreKept => mode.IsOn && vips.IsServed;

    /// <summary>The Service a Vip of ours reserves an address for: its change (Kube-OVN confirming it) wakes that Service.</summary>
    public static IEnumerable<EntityKey> ServiceOf(V1KubeOvnVip vip)
    {
        ArgumentNullException.ThrowIfNull(vip);
        var labels = vip.Metadata?.Labels;
        return AddressReservations.IsOurs(vip) && labels is not null
            && labels.TryGetValue(AddressReservations.ServiceNamespaceLabel, out var ns) && !string.IsNullOrEmpty(ns)
            && labels.TryGetValue(AddressReservations.ServiceNameLabel, out var name) && !string.IsNullOrEmpty(name)
            ? [new EntityKey(ns, name)]
            : [];
    }

    /// <summary>
    /// Makes sure a Vip of ours exists for each of <paramref name="records"/> and says which addresses Kube-OVN has not
    /// confirmed yet. A Vip of an earlier record of the same name is deleted (its successor is made on a later pass).
    /// </summary>
    public async Task<ReservationCheck> EnsureAsync(IReadOnlyList<V1IpAllocation> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (!AreKept)
        {
            return ReservationCheck.Done;
        }

        var waiting = new List<UnreservedAddress>();
        foreach (var record in records)
        {
            if (AllocationRecords.Read(record) is not { Uid: { Length: > 0 } } read)
            {
                continue;
            }

            var vip = vips.Get(read.Name);
            var state = AddressReservations.StateOf(vip, read);
            if (state == ReservationState.Missing)
            {
                vip = await TryCreateAsync(record, cancellationToken)
                    ?? await client.GetAsync<V1KubeOvnVip>(read.Name, cancellationToken: cancellationToken);
                state = AddressReservations.StateOf(vip, read);
            }

            if (state == ReservationState.Stale && vip!.Metadata.DeletionTimestamp is null)
            {
                await DeleteExactAsync(vip, cancellationToken);
                logger.DeletedReservation(read.Name, "it reserved the address for an earlier record");
            }

            if (state != ReservationState.Confirmed)
            {
                waiting.Add(new UnreservedAddress(read, state, Age(vip)));
            }
        }

        return new ReservationCheck(waiting, waiting.Any(w => w.State == ReservationState.Foreign || w.Age >= settings.KubeOvnReservationGrace));
    }

    /// <summary>
    /// Deletes the Vip reserving what the record <paramref name="recordName"/> (uid <paramref name="recordUid"/>) recorded,
    /// if the cache shows one of ours; the garbage collector deletes one the cache did not show yet.
    /// </summary>
    public async Task DeleteAsync(string recordName, string? recordUid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recordName);
        if (!vips.IsServed || vips.Get(recordName) is not { } vip || vip.Metadata.DeletionTimestamp is not null
            || AddressReservations.OwnerRecordUid(vip) is not { } owner || (recordUid is not null && owner != recordUid))
        {
            return;
        }

        await DeleteExactAsync(vip, cancellationToken);
        logger.DeletedReservation(recordName, "its record was deleted");
    }

    private async Task<V1KubeOvnVip?> TryCreateAsync(V1IpAllocation record, CancellationToken cancellationToken)
    {
        try
        {
            var vip = await client.CreateAsync(AddressReservations.Build(record), cancellationToken);
            logger.Reserved(vip.Metadata.Name);
            return vip;
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Is(HttpStatusCode.Conflict))
        {
            return null;
        }
    }

    // Deleted only while it is the object read: a Vip that changed hands meanwhile stays.
    private async Task DeleteExactAsync(V1KubeOvnVip vip, CancellationToken cancellationToken)
    {
        try
        {
            await client.DeleteAsync<V1KubeOvnVip>(vip.Metadata.Name, null, vip.Metadata.Uid, cancellationToken);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Is(HttpStatusCode.Conflict))
        {
            // Another object of that name now: it is looked at on the next pass.
        }
    }

    private TimeSpan Age(V1KubeOvnVip? vip) =>
        (vip?.Metadata?.DeletionTimestamp ?? vip?.Metadata?.CreationTimestamp) is { } since
            ? time.GetUtcNow() - new DateTimeOffset(DateTime.SpecifyKind(since, DateTimeKind.Utc))
            : TimeSpan.Zero;
}

/// <summary>An address recorded for a Service that Kube-OVN does not (yet) hold for it, and for how long.</summary>
public sealed record UnreservedAddress(AllocationRecord Record, ReservationState State, TimeSpan Age)
{
    public override string ToString() => State switch
    {
        ReservationState.Foreign => $"Vip {Record.Name} exists and is not LbOperator's; delete it so {Record.Address} can be reserved in Kube-OVN's IPAM",
        ReservationState.Stale => $"Vip {Record.Name} of an earlier allocation of {Record.Address} is still being deleted " +
            "(kube-ovn-controller removes its finalizer)",
        _ => $"Kube-OVN has not reserved {Record.Address} of subnet {Record.Subnet} for Vip {Record.Name} yet (its status is empty): " +
            "its IPAM holds the address for something else, or kube-ovn-controller is not running",
    };
}

/// <summary>Which recorded addresses Kube-OVN does not hold yet; overdue once one has waited past the grace, or cannot be reserved at all.</summary>
public sealed record ReservationCheck(IReadOnlyList<UnreservedAddress> Waiting, bool Overdue)
{
    public static ReservationCheck Done { get; } = new([], false);

    public bool IsDone => Waiting.Count == 0;
}
