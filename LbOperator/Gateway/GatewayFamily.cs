using System.Net;
using System.Net.Sockets;

namespace LbOperator.Gateway;

/// <summary>
/// What the gateway does for one address family: hold <see cref="LoadBalancerAddress"/> on net1 inside
/// <see cref="SubnetCidr"/>, route the physical network through <see cref="SubnetGateway"/>, and forward to
/// <see cref="ClusterIp"/>.
/// </summary>
public sealed record GatewayFamily
{
    public GatewayFamily(IPAddress loadBalancerAddress, IPNetwork subnetCidr, IPAddress subnetGateway, IPAddress clusterIp)
    {
        ArgumentNullException.ThrowIfNull(loadBalancerAddress);
        ArgumentNullException.ThrowIfNull(subnetGateway);
        ArgumentNullException.ThrowIfNull(clusterIp);
        var family = subnetCidr.BaseAddress.AddressFamily;
        if (family is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"subnet CIDR {subnetCidr} is neither IPv4 nor IPv6", nameof(subnetCidr));
        }
        RequireUsable(loadBalancerAddress, family, nameof(loadBalancerAddress));
        RequireUsable(subnetGateway, family, nameof(subnetGateway));
        RequireUsable(clusterIp, family, nameof(clusterIp));
        if (!subnetCidr.Contains(loadBalancerAddress))
        {
            throw new ArgumentException($"load balancer address {loadBalancerAddress} is outside {subnetCidr}", nameof(loadBalancerAddress));
        }
        if (!subnetCidr.Contains(subnetGateway))
        {
            throw new ArgumentException($"subnet gateway {subnetGateway} is outside {subnetCidr}", nameof(subnetGateway));
        }
        LoadBalancerAddress = loadBalancerAddress;
        SubnetCidr = subnetCidr;
        SubnetGateway = subnetGateway;
        ClusterIp = clusterIp;
    }

    public IPAddress LoadBalancerAddress { get; }

    public IPNetwork SubnetCidr { get; }

    public IPAddress SubnetGateway { get; }

    public IPAddress ClusterIp { get; }

    public AddressFamily AddressFamily => SubnetCidr.BaseAddress.AddressFamily;

    public bool IsIPv6 => AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>The address with the Subnet's prefix, as it goes on net1: <c>172.18.0.18/16</c>.</summary>
    public string LoadBalancerInterfaceAddress => $"{LoadBalancerAddress}/{SubnetCidr.PrefixLength}";

    // The script embeds addresses as text: only plain addresses of the right family (no IPv6 scope such as
    // "%eth0", no IPv4-mapped IPv6) may get there.
    private static void RequireUsable(IPAddress address, AddressFamily family, string parameter)
    {
        if (address.AddressFamily != family)
        {
            throw new ArgumentException($"{address} is not of the subnet's address family", parameter);
        }
        if (address.IsIPv4MappedToIPv6 || (family == AddressFamily.InterNetworkV6 && address.ScopeId != 0))
        {
            throw new ArgumentException($"{address} must be a plain address without scope or IPv4 mapping", parameter);
        }
    }
}
