using System.Net;
using System.Net.Sockets;

namespace LbOperator.Ipam;

/// <summary>
/// One address family of a Subnet, normalised: <paramref name="Cidr"/> has its host bits cleared,
/// <paramref name="Usable"/> is the part handed out (network+1 .. broadcast-1, the whole prefix for /31 and /127),
/// and <paramref name="Excluded"/> is excludeIps clipped to <paramref name="Usable"/>, merged, sorted, with the
/// gateway always included.
/// </summary>
public sealed record SubnetFamily(
    AddressFamily Family,
    IPNetwork Cidr,
    IPAddress Gateway,
    IpRange Usable,
    IReadOnlyList<IpRange> Excluded)
{
    /// <summary>True for /31 and /127: no network or broadcast address (point-to-point links).</summary>
    public bool IsPointToPoint => Cidr.PrefixLength >= IpAddressMath.BitCount(Family) - 1;

    public string FamilyName => IpAddressMath.FamilyName(Family);

    /// <summary>Number of usable addresses (Kube-OVN's AddressCount: 2^n−2, or 2^n for /31 and /127).</summary>
    public UInt128 UsableCount => Usable.Count;

    /// <summary>Every address of <see cref="Cidr"/>, network and broadcast included.</summary>
    public IpRange All => IpRange.Of(Cidr);

    /// <summary>Whether <paramref name="address"/> is the network or broadcast address (never for /31, /127).</summary>
    public bool IsNetworkOrBroadcast(IPAddress address) =>
        All.Contains(address) && !Usable.Contains(address);

    public bool Equals(SubnetFamily? other) =>
        other is not null && Family == other.Family && Cidr.Equals(other.Cidr) && Gateway.Equals(other.Gateway)
        && Usable.Equals(other.Usable) && Excluded.SequenceEqual(other.Excluded);

    public override int GetHashCode() => HashCode.Combine(Family, Cidr, Gateway);
}
