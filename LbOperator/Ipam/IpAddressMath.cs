using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace LbOperator.Ipam;

/// <summary>
/// Conversions between <see cref="IPAddress"/> and its numeric value. The IPAM does all arithmetic on
/// <see cref="UInt128"/> so that an IPv6 address costs what an IPv4 address costs.
/// </summary>
internal static class IpAddressMath
{
    public static UInt128 ToNumber(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
        {
            throw new ArgumentException($"address {address} could not be read", nameof(address));
        }

        return written == 4
            ? BinaryPrimitives.ReadUInt32BigEndian(bytes)
            : BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    public static IPAddress ToAddress(UInt128 value, AddressFamily family)
    {
        if (family == AddressFamily.InterNetwork)
        {
            Span<byte> v4 = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(v4, checked((uint)value));
            return new IPAddress(v4);
        }

        Span<byte> v6 = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(v6, value);
        return new IPAddress(v6);
    }

    public static int BitCount(AddressFamily family) => family == AddressFamily.InterNetwork ? 32 : 128;

    public static UInt128 MaxValue(AddressFamily family) =>
        family == AddressFamily.InterNetwork ? uint.MaxValue : UInt128.MaxValue;

    /// <summary>"IPv4" or "IPv6", the words Kube-OVN uses.</summary>
    public static string FamilyName(AddressFamily family) => family == AddressFamily.InterNetwork ? "IPv4" : "IPv6";

    public static bool IsSupported(AddressFamily family) =>
        family is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6;

    /// <summary>Converts a count to the JSON number Kube-OVN writes; saturates beyond what decimal holds (2^96).</summary>
    public static decimal ToDecimal(UInt128 count)
    {
        var max = (UInt128)decimal.MaxValue;
        return count >= max ? decimal.MaxValue : (decimal)count;
    }
}
