using System.Net.Sockets;
using LbOperator.Entities;

namespace LbOperator.Ipam;

/// <summary>
/// A Subnet parsed, defaulted and validated (see <see cref="SubnetParser"/>): the typed form the IPAM works with.
/// <paramref name="Families"/> holds one entry per family, IPv4 first. <paramref name="ExcludeIps"/> is
/// <c>spec.excludeIps</c> as Kube-OVN normalises it (gateway added, overlapping ranges merged, not clipped).
/// </summary>
public sealed record SubnetDefinition(
    string Name,
    string Provider,
    IpProtocol Protocol,
    IReadOnlyList<SubnetFamily> Families,
    IReadOnlyList<IpRange> ExcludeIps)
{
    /// <summary>The provider Kube-OVN uses when <c>spec.provider</c> is empty.</summary>
    public const string OvnProvider = "ovn";

    /// <summary>The VPC Kube-OVN puts a Subnet of its own networks in when <c>spec.vpc</c> is empty.</summary>
    public const string DefaultVpc = "ovn-cluster";

    /// <summary>
    /// <c>spec.vpc</c> as Kube-OVN formats it (empty means <see cref="DefaultVpc"/> for Kube-OVN's own Subnets and
    /// stays empty for attachment networks). With <see cref="Vlan"/> it names the network: CIDRs may repeat only
    /// across networks.
    /// </summary>
    public string Vpc { get; init; } = "";

    /// <summary><c>spec.vlan</c>, empty when none.</summary>
    public string Vlan { get; init; } = "";

    /// <summary>
    /// True when the provider is neither <c>ovn</c> nor ends in <c>.ovn</c>: an attachment network whose addresses
    /// only this operator hands out. Subnets of Kube-OVN's own networks are left to Kube-OVN.
    /// </summary>
    public bool IsIpamOnly => !IsOvnProvider(Provider);

    public SubnetFamily? V4 => Families.FirstOrDefault(f => f.Family == AddressFamily.InterNetwork);

    public SubnetFamily? V6 => Families.FirstOrDefault(f => f.Family == AddressFamily.InterNetworkV6);

    /// <summary>The normalised <c>spec.cidrBlock</c>, e.g. <c>10.0.0.0/24,fd00::/120</c>.</summary>
    public string CidrBlock => string.Join(',', Families.Select(f => f.Cidr.ToString()));

    /// <summary>The normalised <c>spec.gateway</c>, one address per family.</summary>
    public string Gateway => string.Join(',', Families.Select(f => f.Gateway.ToString()));

    public SubnetFamily? Family(AddressFamily family) => Families.FirstOrDefault(f => f.Family == family);

    public static bool IsOvnProvider(string provider) =>
        provider == OvnProvider || provider.EndsWith("." + OvnProvider, StringComparison.Ordinal);

    /// <summary>
    /// Writes the defaulted and normalised values into <paramref name="spec"/> the way Kube-OVN's formatSubnet does
    /// (cidrBlock, gateway, protocol, provider; excludeIps sorted as strings); other fields are left untouched.
    /// </summary>
    public void Normalize(V1SubnetSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.CidrBlock = CidrBlock;
        spec.Gateway = Gateway;
        spec.Protocol = Protocol.ToString();
        spec.Provider = Provider;
        spec.ExcludeIps = ExcludeIps.Select(r => r.ToExcludeIpsString()).Order(StringComparer.Ordinal).ToList();
    }

    public bool Equals(SubnetDefinition? other) =>
        other is not null && Name == other.Name && Provider == other.Provider && Protocol == other.Protocol
        && Vpc == other.Vpc && Vlan == other.Vlan
        && Families.SequenceEqual(other.Families) && ExcludeIps.SequenceEqual(other.ExcludeIps);

    public override int GetHashCode() => HashCode.Combine(Name, Provider, Protocol, CidrBlock);
}
