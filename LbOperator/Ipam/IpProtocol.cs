namespace LbOperator.Ipam;

/// <summary>A Subnet's protocol, derived from its cidrBlock as Kube-OVN does (<c>spec.protocol</c>).</summary>
public enum IpProtocol
{
    IPv4,
    IPv6,
    Dual,
}
