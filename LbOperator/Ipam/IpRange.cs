using System.Net;
using System.Net.Sockets;

namespace LbOperator.Ipam;

/// <summary>An inclusive range of addresses of one family, <c>Start</c> ≤ <c>End</c>.</summary>
public sealed record IpRange
{
    public IpRange(IPAddress start, IPAddress end)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(end);
        if (!IpAddressMath.IsSupported(start.AddressFamily) || start.AddressFamily != end.AddressFamily)
        {
            throw new ArgumentException($"range {start}..{end} mixes address families or is not IPv4/IPv6", nameof(end));
        }

        if (IpAddressMath.ToNumber(start) > IpAddressMath.ToNumber(end))
        {
            throw new ArgumentException($"range {start}..{end} ends before it starts", nameof(end));
        }

        Start = start;
        End = end;
    }

    public IPAddress Start { get; }

    public IPAddress End { get; }

    public AddressFamily Family => Start.AddressFamily;

    /// <summary>Number of addresses; saturates at <see cref="UInt128.MaxValue"/> for the whole IPv6 space.</summary>
    public UInt128 Count
    {
        get
        {
            var span = IpAddressMath.ToNumber(End) - IpAddressMath.ToNumber(Start);
            return span == UInt128.MaxValue ? span : span + 1;
        }
    }

    public static IpRange OfAddress(IPAddress address) => new(address, address);

    /// <summary>Every address of <paramref name="network"/>, network and broadcast included.</summary>
    public static IpRange Of(IPNetwork network)
    {
        var family = network.BaseAddress.AddressFamily;
        var first = IpAddressMath.ToNumber(network.BaseAddress);
        var hostBits = IpAddressMath.BitCount(family) - network.PrefixLength;
        var last = hostBits == 128 ? UInt128.MaxValue : first | ((UInt128.One << hostBits) - 1);
        return new IpRange(network.BaseAddress, IpAddressMath.ToAddress(last, family));
    }

    public bool Contains(IPAddress address)
    {
        if (address.AddressFamily != Family)
        {
            return false;
        }

        var value = IpAddressMath.ToNumber(address);
        return value >= IpAddressMath.ToNumber(Start) && value <= IpAddressMath.ToNumber(End);
    }

    /// <summary>Kube-OVN's notation: a single address, or <c>start-end</c>.</summary>
    public override string ToString() => Start.Equals(End) ? Start.ToString() : $"{Start}-{End}";

    /// <summary>The notation of <c>spec.excludeIps</c>: a single address, or <c>start..end</c>.</summary>
    public string ToExcludeIpsString() => Start.Equals(End) ? Start.ToString() : $"{Start}..{End}";

    public bool Equals(IpRange? other) => other is not null && Start.Equals(other.Start) && End.Equals(other.End);

    public override int GetHashCode() => HashCode.Combine(Start, End);
}
