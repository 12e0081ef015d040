using System.Net;

namespace LbOperator.Ipam;

/// <summary>
/// An allocation as recorded durably on its Service, fed to <see cref="IpamService.Rebuild"/> after a restart.
/// <paramref name="OwnerCreated"/> (the Service's creation timestamp) decides conflicts: the older holder wins.
/// </summary>
public sealed record RecordedAllocation(
    IpamOwner Owner,
    string Subnet,
    IReadOnlyList<IPAddress> Addresses,
    DateTimeOffset OwnerCreated)
{
    public bool Equals(RecordedAllocation? other) =>
        other is not null && Owner == other.Owner && Subnet == other.Subnet
        && Addresses.SequenceEqual(other.Addresses) && OwnerCreated == other.OwnerCreated;

    public override int GetHashCode() => HashCode.Combine(Owner, Subnet, OwnerCreated);

    public override string ToString() => $"{Owner} ({string.Join(",", Addresses)} of subnet {Subnet})";
}
