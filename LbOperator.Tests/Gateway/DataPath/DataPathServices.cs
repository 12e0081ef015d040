using System.Net;
using LbOperator.Gateway;

namespace LbOperator.Tests.Gateway.DataPath;

/// <summary>The plans the data-path tests run, matching <see cref="GatewayLab"/>'s addresses.</summary>
internal static class DataPathServices
{
    public static GatewayPlan DualStackPortNotTargetPort(IEnumerable<string>? sourceRanges = null, int? extraTcpPort = null)
    {
        List<ServicePortRule> ports = [new(PortProtocol.Tcp, 80), new(PortProtocol.Udp, 53)];
        if (extraTcpPort is { } extra)
        {
            ports.Add(new(PortProtocol.Tcp, extra));
        }
        return new GatewayPlan(
            [
                new GatewayFamily(IPAddress.Parse("172.18.0.18"), IPNetwork.Parse("172.18.0.0/16"), IPAddress.Parse("172.18.0.1"), IPAddress.Parse(GatewayLab.ClusterIPv4)),
                new GatewayFamily(IPAddress.Parse("fd00:18::12"), IPNetwork.Parse("fd00:18::/64"), IPAddress.Parse("fd00:18::1"), IPAddress.Parse(GatewayLab.ClusterIPv6)),
            ],
            ports,
            (sourceRanges ?? []).Select(IPNetwork.Parse));
    }
}
