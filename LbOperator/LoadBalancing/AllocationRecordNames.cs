using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace LbOperator.LoadBalancing;

/// <summary>
/// The name of the IpAllocation that records an address of a Subnet: <c>&lt;address&gt;.&lt;subnet&gt;</c>, the address in
/// a DNS-1123 form, so one address of one Subnet has exactly one possible record and the API server refuses a second.
/// IPv4 writes its four numbers with dashes (<c>172-18-0-18.attach-subnet</c>); IPv6 writes all eight groups,
/// lower-case hex without leading zeros, with dashes (<c>fd00-0-0-0-0-0-0-12.attach-subnet</c>). Compressed IPv6
/// (<c>::</c>) is not used: <c>--</c> could start or end the label (<c>::1</c>, <c>fd00::</c>), which DNS-1123 forbids.
/// The address label has four parts (IPv4) or eight (IPv6) and no dot, so it is always the text before the first
/// dot and the two families never meet; <see cref="TryParseAddress"/> accepts only the exact form <see cref="For"/>
/// writes. A Subnet name too long to fit in 253 characters is cut and given a hash, which keeps names unique.
/// </summary>
public static class AllocationRecordNames
{
    private const int MaxNameLength = 253;
    private const int HashLength = 8;

    /// <summary>The record name of <paramref name="address"/> in <paramref name="subnet"/>.</summary>
    public static string For(IPAddress address, string subnet)
    {
        ArgumentException.ThrowIfNullOrEmpty(subnet);
        var label = AddressLabel(address);
        var room = MaxNameLength - label.Length - 1;
        if (subnet.Length > room)
        {
            var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(subnet)))[..HashLength];
            subnet = $"{subnet[..(room - HashLength - 1)].TrimEnd('-', '.')}-{hash}";
        }

        return $"{label}.{subnet}";
    }

    /// <summary>The address in the DNS-1123 form of a record name's first label.</summary>
    public static string AddressLabel(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var bytes = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return string.Join('-', bytes.Select(b => b.ToString(CultureInfo.InvariantCulture)));
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6 || address.ScopeId != 0)
        {
            throw new ArgumentException($"{address} is not an IPv4 or IPv6 address without a zone", nameof(address));
        }

        var groups = new string[8];
        for (var i = 0; i < 8; i++)
        {
            groups[i] = ((bytes[2 * i] << 8) | bytes[(2 * i) + 1]).ToString("x", CultureInfo.InvariantCulture);
        }

        return string.Join('-', groups);
    }

    /// <summary>The address a record name stands for (its first label); false for any name <see cref="For"/> does not write.</summary>
    public static bool TryParseAddress(string? name, [NotNullWhen(true)] out IPAddress? address)
    {
        var dot = name?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        return TryParseLabel(dot > 0 ? name![..dot] : null, out address);
    }

    private static bool TryParseLabel(string? label, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        var parts = label?.Split('-');
        if (parts is { Length: 4 })
        {
            var bytes = new byte[4];
            for (var i = 0; i < 4; i++)
            {
                if (!IsCanonical(parts[i], 3, char.IsAsciiDigit)
                    || !byte.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out bytes[i]))
                {
                    return false;
                }
            }

            address = new IPAddress(bytes);
            return true;
        }

        if (parts is { Length: 8 })
        {
            var bytes = new byte[16];
            for (var i = 0; i < 8; i++)
            {
                if (!IsCanonical(parts[i], 4, char.IsAsciiHexDigitLower))
                {
                    return false;
                }

                var group = ushort.Parse(parts[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                bytes[2 * i] = (byte)(group >> 8);
                bytes[(2 * i) + 1] = (byte)group;
            }

            address = new IPAddress(bytes);
            return true;
        }

        return false;
    }

    /// <summary>One to <paramref name="maxLength"/> digits of the allowed kind, without a leading zero (except "0").</summary>
    private static bool IsCanonical(string part, int maxLength, Func<char, bool> isDigit) =>
        part.Length >= 1 && part.Length <= maxLength && part.All(isDigit) && (part.Length == 1 || part[0] != '0');
}
