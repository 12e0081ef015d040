using LbOperator.Entities;

namespace LbOperator.Ipam;

/// <summary>
/// A Subnet's status figures as Kube-OVN defines them, per family: <c>Using</c> = held addresses outside
/// excludeIps; <c>Available</c> = usable addresses − excluded − using (so: addresses a dynamic request could still
/// get); the range strings list exactly those addresses.
/// </summary>
public sealed record SubnetUsage(string Subnet, FamilyUsage? V4, FamilyUsage? V6)
{
    /// <summary>Writes the figures into a Subnet status; an absent family gets 0 and "" as in Kube-OVN.</summary>
    public void WriteTo(V1SubnetStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        status.V4AvailableIPs = IpAddressMath.ToDecimal(V4?.Available ?? 0);
        status.V4UsingIPs = IpAddressMath.ToDecimal(V4?.Using ?? 0);
        status.V4AvailableIPRange = V4?.AvailableRange ?? "";
        status.V4UsingIPRange = V4?.UsingRange ?? "";
        status.V6AvailableIPs = IpAddressMath.ToDecimal(V6?.Available ?? 0);
        status.V6UsingIPs = IpAddressMath.ToDecimal(V6?.Using ?? 0);
        status.V6AvailableIPRange = V6?.AvailableRange ?? "";
        status.V6UsingIPRange = V6?.UsingRange ?? "";
    }
}

/// <summary>One family's figures; the range strings use Kube-OVN's notation (<c>a,b-c</c>).</summary>
public sealed record FamilyUsage(UInt128 Available, UInt128 Using, string AvailableRange, string UsingRange);
