using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace LbOperator.Ipam;

/// <summary>
/// Strict parsing of the address notations users write in manifests. <see cref="IPAddress.TryParse(string, out IPAddress)"/>
/// also accepts forms such as <c>10.1</c> or <c>010.0.0.1</c>; Kube-OVN (Go's net.ParseIP) does not, and neither do we.
/// </summary>
public static class IpAddressText
{
    /// <summary>Dotted-quad IPv4 (no leading zeros) or IPv6 without a zone.</summary>
    public static bool TryParseAddress(string? text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (text.Contains(':', StringComparison.Ordinal))
        {
            if (text.Contains('%', StringComparison.Ordinal) || !IPAddress.TryParse(text, out var v6)
                || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }

            address = v6;
            return true;
        }

        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[4];
        for (var i = 0; i < 4; i++)
        {
            var part = parts[i];
            if (part.Length is 0 or > 3 || !part.All(char.IsAsciiDigit) || (part.Length > 1 && part[0] == '0'))
            {
                return false;
            }

            var value = int.Parse(part, CultureInfo.InvariantCulture);
            if (value > 255)
            {
                return false;
            }

            bytes[i] = (byte)value;
        }

        address = new IPAddress(bytes);
        return true;
    }

    /// <summary>
    /// <c>address/prefix</c>; host bits may be set (the caller normalises them away, as Kube-OVN does). The result's
    /// base address keeps the host bits; use <see cref="Normalize"/>.
    /// </summary>
    public static bool TryParseCidr(string? text, [NotNullWhen(true)] out IPAddress? address, out int prefixLength)
    {
        address = null;
        prefixLength = 0;
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (text is null || slash < 0 || !TryParseAddress(text[..slash], out var parsed))
        {
            return false;
        }

        var prefix = text[(slash + 1)..];
        if (prefix.Length is 0 or > 3 || !prefix.All(char.IsAsciiDigit) || (prefix.Length > 1 && prefix[0] == '0'))
        {
            return false;
        }

        prefixLength = int.Parse(prefix, CultureInfo.InvariantCulture);
        if (prefixLength > IpAddressMath.BitCount(parsed.AddressFamily))
        {
            return false;
        }

        address = parsed;
        return true;
    }

    /// <summary>The network of <paramref name="address"/>/<paramref name="prefixLength"/> with host bits cleared.</summary>
    public static IPNetwork Normalize(IPAddress address, int prefixLength)
    {
        var family = address.AddressFamily;
        var hostBits = IpAddressMath.BitCount(family) - prefixLength;
        var mask = hostBits == 128 ? UInt128.Zero : IpAddressMath.MaxValue(family) & ~((UInt128.One << hostBits) - 1);
        var network = IpAddressMath.ToNumber(address) & mask;
        return new IPNetwork(IpAddressMath.ToAddress(network, family), prefixLength);
    }
}
