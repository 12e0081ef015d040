using System.Net;

namespace LbOperator.Ipam;

/// <summary>
/// An allocation as recorded durably, fed to <see cref="IpamService.Rebuild"/> after a restart.
/// <paramref name="Source"/> says how far the record can be trusted: a more trusted record always keeps an address
/// against a less trusted one, whatever their ages. Between records of one source, <paramref name="OwnerCreated"/>
/// (the Service's creation timestamp) decides: the older holder wins.
/// </summary>
public sealed record RecordedAllocation(
    IpamOwner Owner,
    string Subnet,
    IReadOnlyList<IPAddress> Addresses,
    DateTimeOffset OwnerCreated,
    RecordSource Source = RecordSource.OperatorRecord)
{
    public bool Equals(RecordedAllocation? other) =>
        other is not null && Owner == other.Owner && Subnet == other.Subnet
        && Addresses.SequenceEqual(other.Addresses) && OwnerCreated == other.OwnerCreated && Source == other.Source;

    public override int GetHashCode() => HashCode.Combine(Owner, Subnet, OwnerCreated, Source);

    public override string ToString() => $"{Owner} ({string.Join(",", Addresses)} of subnet {Subnet})";
}

/// <summary>Where a recorded allocation was read from, most trusted first.</summary>
public enum RecordSource
{
    /// <summary>The operator's own record (an IpAllocation object), which only the operator can write.</summary>
    OperatorRecord,

    /// <summary>The record annotations an earlier version wrote on the Service; whoever edits the Service can forge them.</summary>
    ServiceAnnotation,

    /// <summary>The addresses on the pod template of the Service's gateway Deployment; whoever edits the Deployment can forge them.</summary>
    GatewayDeployment,
}
