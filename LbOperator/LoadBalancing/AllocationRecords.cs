using System.Net;
using k8s.Models;
using LbOperator.Entities;
using LbOperator.Ipam;

namespace LbOperator.LoadBalancing;

/// <summary>One readable IpAllocation: the address it records, for whom, when it was written, and the object's own uid.</summary>
public sealed record AllocationRecord(string Name, IpamOwner Owner, string Subnet, IPAddress Address, DateTimeOffset Created, string? Uid = null)
{
    public override string ToString() => $"IpAllocation {Name} ({Address} of subnet {Subnet} for {Owner})";
}

/// <summary>
/// The operator's allocation records (<see cref="V1IpAllocation"/>, one per held address): how one is built, how one
/// is read back (only the exact form the operator writes), and how a Service's records become the allocation the
/// IPAM adopts after a restart.
/// </summary>
public static class AllocationRecords
{
    /// <summary>The record of <paramref name="address"/> of <paramref name="subnet"/> held by <paramref name="owner"/>.</summary>
    public static V1IpAllocation Build(IpamOwner owner, string subnet, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(address);
        return new V1IpAllocation
        {
            Metadata = new V1ObjectMeta { Name = AllocationRecordNames.For(address, subnet) },
            Spec = new V1IpAllocationSpec
            {
                Subnet = subnet,
                Address = address.ToString(),
                Family = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? "IPv4" : "IPv6",
                Service = new V1IpAllocationHolder { Namespace = owner.Namespace, Name = owner.Name, Uid = owner.Uid },
            },
        };
    }

    /// <summary>
    /// The record as the operator wrote it, or null when it is not one: the name is not the one of the address and
    /// Subnet in the spec, or the holder is missing. Such an object is never adopted.
    /// </summary>
    public static AllocationRecord? Read(V1IpAllocation record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var spec = record.Spec;
        if (!IpAddressText.TryParseAddress(spec?.Address, out var address) || string.IsNullOrEmpty(spec!.Subnet)
            || record.Metadata?.Name != AllocationRecordNames.For(address, spec.Subnet)
            || spec.Service is not { Namespace: { Length: > 0 } ns, Name: { Length: > 0 } name, Uid: { Length: > 0 } uid })
        {
            return null;
        }

        var created = record.Metadata!.CreationTimestamp is { } timestamp
            ? new DateTimeOffset(DateTime.SpecifyKind(timestamp, DateTimeKind.Utc))
            : DateTimeOffset.MinValue;
        return new AllocationRecord(record.Metadata.Name, new IpamOwner(ns, name, uid), spec.Subnet, address, created, record.Metadata.Uid);
    }

    /// <summary>True when <paramref name="record"/> says exactly this: <paramref name="address"/> of <paramref name="subnet"/> for <paramref name="owner"/>.</summary>
    public static bool Says(V1IpAllocation record, IpamOwner owner, string subnet, IPAddress address) =>
        Read(record) is { } read && read.Owner == owner && read.Subnet == subnet && read.Address.Equals(address);

    /// <summary>
    /// Whether a record must stay. It goes when its Service is gone (<paramref name="owner"/> is the Service of that
    /// namespace and name as it is now, null when there is none; another uid is another Service), and when its
    /// Service neither holds the address in the IPAM nor announces it from its gateway (a leftover of a move). A
    /// record stays as long as a gateway announces its address, so a second Service cannot be given an address
    /// that is still on the network.
    /// </summary>
    public static bool IsNeeded(AllocationRecord record, V1Service? owner, IpamHolding? holding, IReadOnlyList<IPAddress> announced)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(announced);
        if (owner?.Metadata?.Uid != record.Owner.Uid)
        {
            return false;
        }

        var held = holding is not null && holding.Owner == record.Owner && holding.Subnet == record.Subnet
            && holding.Addresses.Contains(record.Address);
        return held || announced.Contains(record.Address);
    }

    /// <summary>
    /// What a Service's records give it after a restart: the Subnet of its newest record, and in it the newest record
    /// of each family (IPv4 first). Several records arise only when a move to another address was cut short; the
    /// others are leftovers, which the Service's next reconcile deletes. Null when <paramref name="records"/> is empty.
    /// </summary>
    public static RecordedAllocation? Adoptable(IpamOwner owner, DateTimeOffset ownerCreated, IEnumerable<AllocationRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var newestFirst = records.OrderByDescending(r => r.Created).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
        if (newestFirst.Count == 0)
        {
            return null;
        }

        var subnet = newestFirst[0].Subnet;
        var addresses = newestFirst.Where(r => r.Subnet == subnet)
            .GroupBy(r => r.Address.AddressFamily)
            .Select(g => g.First().Address)
            .OrderBy(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 0 : 1)
            .ToList();
        return new RecordedAllocation(owner, subnet, addresses, ownerCreated, RecordSource.OperatorRecord);
    }
}
