using System.Net;
using System.Net.Sockets;
using System.Numerics;

namespace LbOperator.Sandbox;

/// <summary>Addresses as integers, for allocators that walk or sample a CIDR.</summary>
internal static class AddressMath
{
    public static BigInteger ToInteger(IPAddress address) => new(address.GetAddressBytes(), isUnsigned: true, isBigEndian: true);

    public static IPAddress ToAddress(BigInteger value, AddressFamily family)
    {
        var length = family == AddressFamily.InterNetwork ? 4 : 16;
        var raw = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var bytes = new byte[length];
        raw.AsSpan(Math.Max(0, raw.Length - length)).CopyTo(bytes.AsSpan(Math.Max(0, length - raw.Length)));
        return new IPAddress(bytes);
    }

    /// <summary>Number of addresses in <paramref name="network"/>.</summary>
    public static BigInteger Size(IPNetwork network) =>
        BigInteger.One << ((network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128) - network.PrefixLength);

    public static IPAddress At(IPNetwork network, BigInteger offset) =>
        ToAddress(ToInteger(network.BaseAddress) + offset, network.BaseAddress.AddressFamily);

    public static string FamilyName(AddressFamily family) => family == AddressFamily.InterNetwork ? "IPv4" : "IPv6";
}
