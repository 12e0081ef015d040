using System.Net;
using System.Net.Sockets;

namespace LbOperator.Sandbox.Nodes;

/// <summary>
/// Hands out pod addresses from the cluster network, lowest free first, like a node's pod CIDR IPAM. Never gives
/// out the network address, the gateway or (IPv4) the broadcast address. Pure: no I/O; not thread-safe.
/// </summary>
public sealed class PodAddressPool(GatewayedNetwork network)
{
    private readonly SortedSet<UInt128> _used = [];
    private readonly UInt128 _first = ToNumber(network.Network.BaseAddress) + 1;
    private readonly UInt128 _last = LastUsable(network.Network);
    private readonly UInt128 _gateway = ToNumber(network.Gateway);

    public GatewayedNetwork Network { get; } = network;

    public int Count => _used.Count;

    /// <summary>The lowest free address; throws when the network is full.</summary>
    public IPAddress Allocate()
    {
        for (var candidate = _first; candidate <= _last; candidate++)
        {
            if (candidate != _gateway && !_used.Contains(candidate))
            {
                _used.Add(candidate);
                return ToAddress(candidate, Network.Family);
            }
        }
        throw new InvalidOperationException($"pod network {Network.Network} has no free address left ({_used.Count} in use)");
    }

    /// <summary>Returns an address to the pool; releasing an address not in use does nothing.</summary>
    public void Release(IPAddress address)
    {
        if (Network.Network.Contains(address))
        {
            _used.Remove(ToNumber(address));
        }
    }

    private static UInt128 LastUsable(IPNetwork network)
    {
        var bits = network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var hostBits = bits - network.PrefixLength;
        var size = hostBits >= 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
        var last = ToNumber(network.BaseAddress) + size;
        // IPv4 keeps its broadcast address out of use; IPv6 has none.
        return bits == 32 && hostBits > 1 ? last - 1 : last;
    }

    private static UInt128 ToNumber(IPAddress address)
    {
        UInt128 value = 0;
        foreach (var b in address.GetAddressBytes())
        {
            value = (value << 8) | b;
        }
        return value;
    }

    private static IPAddress ToAddress(UInt128 value, AddressFamily family)
    {
        var bytes = new byte[family == AddressFamily.InterNetwork ? 4 : 16];
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            bytes[i] = (byte)(value & 0xFF);
            value >>= 8;
        }
        return new IPAddress(bytes);
    }
}
