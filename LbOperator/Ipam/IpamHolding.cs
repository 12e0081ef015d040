using System.Net;

namespace LbOperator.Ipam;

/// <summary>The addresses one owner holds in one Subnet (IPv4 first).</summary>
public sealed record IpamHolding(IpamOwner Owner, string Subnet, IReadOnlyList<IPAddress> Addresses)
{
    public override string ToString() => $"{Owner} holds {string.Join(",", Addresses)} of subnet {Subnet}";

    public bool Equals(IpamHolding? other) =>
        other is not null && Owner == other.Owner && Subnet == other.Subnet && Addresses.SequenceEqual(other.Addresses);

    public override int GetHashCode() => HashCode.Combine(Owner, Subnet);
}
