using System.Net;
using LbOperator.Gateway;
using LbOperator.LoadBalancing;

namespace LbOperator.Tests.Gateway;

/// <summary>Gateway plans shared by the golden-file tests and the data-path tests.</summary>
internal static class GatewayScenarios
{
    /// <summary>The seed's Service: 172.18.0.18 in 172.18.0.0/16, gateway 172.18.0.1, ClusterIP 10.109.201.193, TCP 80.</summary>
    public static GatewayPlan Seed() => new(
        [new GatewayFamily(IPAddress.Parse("172.18.0.18"), IPNetwork.Parse("172.18.0.0/16"), IPAddress.Parse("172.18.0.1"), IPAddress.Parse("10.109.201.193"))],
        [new ServicePortRule(PortProtocol.Tcp, 80)],
        []);

    /// <summary>Dual-stack, TCP 80 and UDP 53, only 192.168.50.0/24 and fd00:50::/64 allowed.</summary>
    public static GatewayPlan DualStackWithSourceRanges() => new(
        [
            new GatewayFamily(IPAddress.Parse("172.18.0.18"), IPNetwork.Parse("172.18.0.0/16"), IPAddress.Parse("172.18.0.1"), IPAddress.Parse("10.109.201.193")),
            new GatewayFamily(IPAddress.Parse("fd00:18::12"), IPNetwork.Parse("fd00:18::/64"), IPAddress.Parse("fd00:18::1"), IPAddress.Parse("fd00:96::a")),
        ],
        [new ServicePortRule(PortProtocol.Tcp, 80), new ServicePortRule(PortProtocol.Udp, 53)],
        [IPNetwork.Parse("192.168.50.0/24"), IPNetwork.Parse("fd00:50::/64")]);
}
