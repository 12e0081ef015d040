using System.Net;

namespace LbOperator.Ipam;

/// <summary>
/// A held address that the Subnet now excludes or uses as its gateway. The holder keeps it (an edit never takes
/// an address away); the overlap is reported so the user can see it and move the Service if they wish.
/// </summary>
public sealed record HeldAddressOverlap(string Subnet, IpamOwner Holder, IPAddress Address, HeldAddressOverlapKind Kind)
{
    public override string ToString() => Kind == HeldAddressOverlapKind.Gateway
        ? $"{Address} is the gateway of subnet {Subnet} but Service {Holder} holds it"
        : $"{Address} is in spec.excludeIps of subnet {Subnet} but Service {Holder} holds it";
}

public enum HeldAddressOverlapKind
{
    ExcludeIps,
    Gateway,
}
