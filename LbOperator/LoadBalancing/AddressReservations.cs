using System.Net;
using System.Net.Sockets;
using k8s.Models;
using LbOperator.Entities;

namespace LbOperator.LoadBalancing;

/// <summary>
/// The Kube-OVN Vips that reserve LbOperator's addresses in Kube-OVN's IPAM (Kube-OVN mode, docs/kube-ovn.md): one
/// per IpAllocation record, of the same name, owned by it. A Vip of the default type with no <c>spec.namespace</c> is
/// the one Kube-OVN object that takes an address of a non-OVN Subnet in its IPAM and does nothing else (no logical
/// switch port); Kube-OVN confirms it by writing the address into <c>status.v4ip</c>/<c>status.v6ip</c>, and leaves
/// the status empty while the address is held by anything else in its IPAM. Pure.
/// </summary>
public static class AddressReservations
{
    /// <summary>The Service a reservation is for (Vips are cluster-scoped: only cluster admins and Kube-OVN write them), so its change wakes that Service.</summary>
    public const string ServiceNamespaceLabel = "lboperator.io/service-namespace";
    public const string ServiceNameLabel = "lboperator.io/service-name";

    /// <summary>
    /// The Vip reserving the address <paramref name="record"/> records: the record's name, an owner reference to it
    /// (so the garbage collector deletes a Vip whose record went without the operator), the Subnet and the address.
    /// </summary>
    public static V1KubeOvnVip Build(V1IpAllocation record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var read = AllocationRecords.Read(record) ?? throw new ArgumentException($"IpAllocation {record.Metadata?.Name} is not in the operator's form", nameof(record));
        if (string.IsNullOrEmpty(read.Uid))
        {
            throw new ArgumentException($"IpAllocation {read.Name} has no uid: only a stored record can own a Vip", nameof(record));
        }

        var v4 = read.Address.AddressFamily == AddressFamily.InterNetwork;
        return new V1KubeOvnVip
        {
            Metadata = new V1ObjectMeta
            {
                Name = read.Name,
                Labels = new Dictionary<string, string>
                {
                    [OperatorLabels.ManagedByLabel] = OperatorLabels.ManagedBy,
                    [ServiceNamespaceLabel] = read.Owner.Namespace,
                    [ServiceNameLabel] = read.Owner.Name,
                },
                OwnerReferences =
                [
                    new V1OwnerReference
                    {
                        ApiVersion = V1IpAllocation.ApiGroupVersion,
                        Kind = V1IpAllocation.EntityKind,
                        Name = read.Name,
                        Uid = read.Uid,
                        BlockOwnerDeletion = false,
                        Controller = true,
                    },
                ],
            },
            // No type and no namespace: Kube-OVN then only allocates the address in its IPAM.
            Spec = new V1KubeOvnVipSpec
            {
                Subnet = read.Subnet,
                V4Ip = v4 ? read.Address.ToString() : null,
                V6Ip = v4 ? null : read.Address.ToString(),
            },
        };
    }

    /// <summary>True for a Vip the operator wrote: one owned by an IpAllocation.</summary>
    public static bool IsOurs(V1KubeOvnVip vip)
    {
        ArgumentNullException.ThrowIfNull(vip);
        return OwnerRecordUid(vip) is not null;
    }

    /// <summary>The uid of the IpAllocation owning the Vip; null when no record owns it.</summary>
    public static string? OwnerRecordUid(V1KubeOvnVip vip)
    {
        ArgumentNullException.ThrowIfNull(vip);
        return vip.Metadata?.OwnerReferences?
            .FirstOrDefault(r => r.ApiVersion == V1IpAllocation.ApiGroupVersion && r.Kind == V1IpAllocation.EntityKind && !string.IsNullOrEmpty(r.Uid))?.Uid;
    }

    /// <summary>What the Vip of <paramref name="record"/>'s name says about its reservation.</summary>
    public static ReservationState StateOf(V1KubeOvnVip? vip, AllocationRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (vip is null)
        {
            return ReservationState.Missing;
        }

        if (OwnerRecordUid(vip) is not { } uid)
        {
            return ReservationState.Foreign;
        }

        if (uid != record.Uid || vip.Metadata.DeletionTimestamp is not null)
        {
            return ReservationState.Stale;
        }

        return Confirmed(vip).Contains(record.Address) ? ReservationState.Confirmed : ReservationState.Unconfirmed;
    }

    /// <summary>The addresses Kube-OVN says it has reserved for the Vip (<c>status.v4ip</c>, <c>status.v6ip</c>).</summary>
    public static IReadOnlyList<IPAddress> Confirmed(V1KubeOvnVip vip)
    {
        ArgumentNullException.ThrowIfNull(vip);
        return [.. new[] { vip.Status?.V4Ip, vip.Status?.V6Ip }
            .Where(t => !string.IsNullOrEmpty(t))
            .SelectMany(t => t!.Split(',', StringSplitOptions.TrimEntries))
            .Select(t => IPAddress.TryParse(t, out var a) ? a : null)
            .OfType<IPAddress>()];
    }
}

/// <summary>Where the reservation of one recorded address stands in Kube-OVN's IPAM.</summary>
public enum ReservationState
{
    /// <summary>No Vip of the record's name: it is to be created.</summary>
    Missing,

    /// <summary>Kube-OVN has not (yet) written the address into the Vip's status: it holds the address for someone else, or has not looked.</summary>
    Unconfirmed,

    /// <summary>Kube-OVN holds the address for the Vip.</summary>
    Confirmed,

    /// <summary>A Vip of an earlier record of the same name (or one being deleted): it goes before a new one can be made.</summary>
    Stale,

    /// <summary>A Vip of that name no record owns: somebody else's, left alone.</summary>
    Foreign,
}
