using System.Net;

namespace LbOperator.Ipam;

/// <summary>
/// Outcome of <see cref="IpamService.Rebuild"/>: which records were adopted, which lost a conflict to another holder,
/// which were rejected (unknown Subnet, the gateway, an address that is not usable), and which adopted addresses
/// overlap excludeIps.
/// </summary>
public sealed record RebuildReport(
    IReadOnlyList<IpamHolding> Adopted,
    IReadOnlyList<RebuildConflict> Conflicts,
    IReadOnlyList<RebuildRejection> Rejected,
    IReadOnlyList<HeldAddressOverlap> Overlaps);

/// <summary>
/// <paramref name="Record"/> names <paramref name="Address"/> (or the owner's key) already adopted for
/// <paramref name="Holder"/>, from a record at least as trusted and older (<paramref name="HolderSource"/>).
/// </summary>
public sealed record RebuildConflict(RecordedAllocation Record, IPAddress? Address, IpamOwner Holder, RecordSource HolderSource = RecordSource.OperatorRecord)
{
    public override string ToString() => Address is null
        ? $"{Record.Owner} (uid {Record.Owner.Uid}) is recorded twice; the older record (uid {Holder.Uid}) was kept"
        : HolderSource < Record.Source
            ? $"{Address} of subnet {Record.Subnet} is claimed for {Record.Owner} by {Describe(Record.Source)}, but {Describe(HolderSource)} " +
              $"gives it to {Holder}; {Holder} keeps it"
            : $"{Address} of subnet {Record.Subnet} is recorded for {Record.Owner} and for the older {Holder}; {Holder} keeps it";

    internal static string Describe(RecordSource source) => source switch
    {
        RecordSource.OperatorRecord => "the operator's IpAllocation record",
        RecordSource.ServiceAnnotation => "the Service's lboperator.io/allocated-addresses annotation",
        _ => "its gateway Deployment's pod template",
    };
}

/// <summary>A record that cannot be adopted; its owner gets nothing and must ask again.</summary>
public sealed record RebuildRejection(RecordedAllocation Record, string Reason)
{
    public override string ToString() => $"{Record.Owner}: {Reason}";
}
