namespace LbOperator.Ipam;

/// <summary>Outcome of <see cref="IpamService.ApplySubnet"/>.</summary>
public abstract record SubnetChange
{
    private SubnetChange()
    {
    }

    /// <summary>The Subnet is in effect. Held addresses that it now excludes or uses as gateway are listed.</summary>
    public sealed record Accepted(IReadOnlyList<HeldAddressOverlap> Overlaps) : SubnetChange;

    /// <summary>The change was not applied; the previous definition stays in effect.</summary>
    public sealed record Refused(string Reason) : SubnetChange;

    /// <summary>
    /// The definition shares addresses with another Subnet of the same network that goes first (see
    /// <see cref="SubnetOverlap"/>); it was not applied, and a previous definition of the Subnet, if any, stays in effect.
    /// </summary>
    public sealed record Overlapping(string Reason) : SubnetChange;
}

/// <summary>Outcome of <see cref="IpamService.RemoveSubnet"/>.</summary>
public abstract record SubnetRemoval
{
    private SubnetRemoval()
    {
    }

    public sealed record Removed : SubnetRemoval;

    public sealed record NotFound : SubnetRemoval;

    /// <summary>Addresses are still held; the Subnet stays until they are released.</summary>
    public sealed record Refused(string Reason, IReadOnlyList<IpamHolding> Holders) : SubnetRemoval;
}
