using System.Net;
using k8s.Models;
using LbOperator.Entities;
using LbOperator.Framework.Client;
using LbOperator.Framework.Watcher;
using LbOperator.Gateway;
using LbOperator.Ipam;
using LbOperator.LoadBalancing;
using Microsoft.Extensions.Logging;

namespace LbOperator.Controllers;

/// <summary>
/// Writes and deletes the IpAllocation records of Services. A record is written before the gateway that announces
/// its address is created or changed, and a record of an address the Service gave up is deleted only after its
/// gateway no longer announces it, so at every moment each announced address has exactly one record. Records are
/// named after their address: a second Service asking to record an address gets AlreadyExists from the API server.
/// Beside Kube-OVN a record's Vip (<see cref="KubeOvnReservations"/>) is deleted with it.
/// </summary>
public sealed class AllocationRecordWriter(
    IKubernetesClient client,
    IEntityCache<V1IpAllocation> records,
    IEntityCache<V1Service> services,
    IEntityCache<V1Deployment> deployments,
    IpamState ipam,
    KubeOvnReservations reservations,
    ILogger<AllocationRecordWriter> logger)
{
    /// <summary>The records of a Service, by its uid: every reconcile asks, and a scan of every record would cost N² over N Services.</summary>
    public static readonly EntityIndex<V1IpAllocation> OwnerIndex = new("service-uid", r => r.Spec?.Service?.Uid);

    /// <summary>
    /// Makes sure a record exists for each address of <paramref name="allocated"/>. A record of a Service that no
    /// longer exists or that neither holds nor announces the address (or an object the operator did not write) gives
    /// way; a record another Service still needs does not, and is returned as the problem (the address stays
    /// unrecorded and unannounced for this Service until that record goes). The records, as stored, come with it.
    /// </summary>
    public async Task<(ServiceProblem? Problem, IReadOnlyList<V1IpAllocation> Records)> EnsureAsync(
        V1Service service, AllocationResult.Allocated allocated, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(allocated);
        var owner = ServiceRecord.OwnerOf(service);
        var written = new List<V1IpAllocation>();
        foreach (var address in allocated.Addresses)
        {
            var name = AllocationRecordNames.For(address, allocated.Subnet);
            var cached = records.Get(name);
            if (cached is not null && AllocationRecords.Says(cached, owner, allocated.Subnet, address))
            {
                written.Add(cached);
                continue;
            }

            if (cached is null && await TryCreateAsync(owner, allocated.Subnet, address, cancellationToken) is { } created)
            {
                written.Add(created);
                continue;
            }

            // The watch has not brought the record that is in the way: what is there now decides (one read, on this path only).
            var current = cached ?? await client.GetAsync<V1IpAllocation>(name, cancellationToken: cancellationToken);
            if (current is not null && AllocationRecords.Says(current, owner, allocated.Subnet, address))
            {
                written.Add(current);
                continue;
            }

            if (current is not null)
            {
                if (await HolderOfAsync(current, owner, cancellationToken) is { } holder)
                {
                    return (new ServiceProblem(EventReasons.AddressConflict,
                        $"Service {owner} holds {address} of subnet {allocated.Subnet} but cannot record it: IpAllocation {name} records it for " +
                        $"Service {holder}, which still holds or announces it; it is not announced for a second Service while that record exists"), written);
                }

                logger.ReplacingRecord(name, AllocationRecords.Read(current)?.Owner.ToString() ?? "an object the operator did not write");
                await DeleteExactAsync(name, current.Metadata.Uid, cancellationToken);
            }

            // AlreadyExists now means that another Service recorded the address meanwhile: the reconcile is retried.
            written.Add(await client.CreateAsync(AllocationRecords.Build(owner, allocated.Subnet, address), cancellationToken));
            logger.Recorded(address, name);
        }

        return (null, written);
    }

    /// <summary>
    /// Deletes the Service's records of addresses it no longer holds (what is left after a move). Call it once the
    /// gateway announces only what <paramref name="holding"/> holds.
    /// </summary>
    public async Task RemoveStaleAsync(V1Service service, IpamHolding? holding, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        var owner = ServiceRecord.OwnerOf(service);
        foreach (var record in RecordsOf(owner))
        {
            if (holding is not null && holding.Subnet == record.Subnet && holding.Addresses.Contains(record.Address))
            {
                continue;
            }

            await DeleteExactAsync(record.Name, record.Uid, cancellationToken);
            logger.DeletedRecord(record.Name, owner, "the Service no longer holds the address");
        }
    }

    /// <summary>
    /// Deletes every record of <paramref name="owner"/>. The cache shows the records this operator wrote as soon as
    /// they are written; records written by an earlier run arrived with the initial LIST.
    /// </summary>
    public async Task DeleteAllAsync(IpamOwner owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var uids = RecordsOf(owner).ToDictionary(r => r.Name, r => r.Uid, StringComparer.Ordinal);
        foreach (var (name, uid) in uids.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            await DeleteExactAsync(name, uid, cancellationToken);
            logger.DeletedRecord(name, owner, "the Service's addresses were released");
        }
    }

    /// <summary>
    /// Deletes the record <paramref name="name"/> only while it is the object read (uid <paramref name="uid"/>): a
    /// record that changed hands meanwhile is another Service's and stays. A record already gone is not an error.
    /// Its Vip goes with it.
    /// </summary>
    public async Task DeleteExactAsync(string name, string? uid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        try
        {
            await client.DeleteAsync<V1IpAllocation>(name, null, uid, cancellationToken);
            await reservations.DeleteAsync(name, uid, cancellationToken);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Is(HttpStatusCode.Conflict) && uid is not null)
        {
            // A failed precondition means the record is another object now; any other conflict is retried.
            if ((await client.GetAsync<V1IpAllocation>(name, cancellationToken: cancellationToken))?.Metadata?.Uid == uid)
            {
                throw;
            }
        }
    }

    /// <summary>The addresses the cache shows records of for this Service.</summary>
    public IReadOnlyList<IPAddress> AddressesOf(V1Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return [.. RecordsOf(ServiceRecord.OwnerOf(service)).Select(r => r.Address)];
    }

    /// <summary>True when the cache shows a record of this Service.</summary>
    public bool AnyOf(V1Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return RecordsOf(ServiceRecord.OwnerOf(service)).Any();
    }

    /// <summary>The cached records that name <paramref name="owner"/> (same namespace, name and uid).</summary>
    private IEnumerable<AllocationRecord> RecordsOf(IpamOwner owner) =>
        string.IsNullOrEmpty(owner.Uid)
            ? []
            : records.Find(OwnerIndex.Name, owner.Uid).Select(AllocationRecords.Read).OfType<AllocationRecord>().Where(r => r.Owner == owner);

    /// <summary>Creates the record; null when an object of that name exists already (AlreadyExists).</summary>
    private async Task<V1IpAllocation?> TryCreateAsync(IpamOwner owner, string subnet, IPAddress address, CancellationToken cancellationToken)
    {
        try
        {
            var record = await client.CreateAsync(AllocationRecords.Build(owner, subnet, address), cancellationToken);
            logger.Recorded(address, record.Metadata.Name);
            return record;
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Is(HttpStatusCode.Conflict))
        {
            return null;
        }
    }

    /// <summary>
    /// The other Service <paramref name="record"/> is still needed by (see <see cref="AllocationRecords.IsNeeded"/>:
    /// it exists and holds or announces the address); null when the record may give way.
    /// </summary>
    private async Task<IpamOwner?> HolderOfAsync(V1IpAllocation record, IpamOwner self, CancellationToken cancellationToken)
    {
        if (AllocationRecords.Read(record) is not { } read || read.Owner == self)
        {
            return null;
        }

        var live = services.Get(read.Owner.Name, read.Owner.Namespace);
        if (live?.Metadata?.Uid != read.Owner.Uid)
        {
            // The cache may not show a Service created a moment ago by someone else: the API server decides.
            live = await client.GetAsync<V1Service>(read.Owner.Name, read.Owner.Namespace, cancellationToken);
        }

        var announced = live is null
            ? []
            : GatewayAnnouncement.Addresses(deployments.Get(GatewayNames.Deployment(live.Metadata.Name), live.Metadata.NamespaceProperty), live);
        return AllocationRecords.IsNeeded(read, live, ipam.Lookup(read.Owner), announced) ? read.Owner : null;
    }
}
