using System.Net;

namespace LbOperator.Ipam;

/// <summary>
/// Outcome of <see cref="IpamService.Rebuild"/>: which records were adopted, which lost a conflict to an older holder,
/// which were rejected (unknown Subnet, address outside it), and which adopted addresses overlap excludeIps or
/// the gateway.
/// </summary>
public sealed record RebuildReport(
    IReadOnlyList<IpamHolding> Adopted,
    IReadOnlyList<RebuildConflict> Conflicts,
    IReadOnlyList<RebuildRejection> Rejected,
    IReadOnlyList<HeldAddressOverlap> Overlaps);

/// <summary><paramref name="Record"/> names <paramref name="Address"/> (or the owner's key) already adopted for <paramref name="Holder"/>, an older record.</summary>
public sealed record RebuildConflict(RecordedAllocation Record, IPAddress? Address, IpamOwner Holder)
{
    public override string ToString() => Address is null
        ? $"{Record.Owner} (uid {Record.Owner.Uid}) is recorded twice; the older record (uid {Holder.Uid}) was kept"
        : $"{Address} of subnet {Record.Subnet} is recorded for {Record.Owner} and for the older {Holder}; {Holder} keeps it";
}

/// <summary>A record that cannot be adopted; its owner gets nothing and must ask again.</summary>
public sealed record RebuildRejection(RecordedAllocation Record, string Reason)
{
    public override string ToString() => $"{Record.Owner}: {Reason}";
}
