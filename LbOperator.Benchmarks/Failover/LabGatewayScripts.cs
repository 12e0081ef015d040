using System.Net;
using LbOperator.Gateway;
using LbOperator.LoadBalancing;

namespace LbOperator.Benchmarks.Failover;

/// <summary>Which address families the lab's Service has: its load balancer addresses and ClusterIPs.</summary>
public enum LabFamilies
{
    IPv4,
    IPv6,
    DualStack,
}

/// <summary>
/// A lab gateway's scripts, rendered by the operator's own <see cref="GatewayScript"/> and <see cref="KeepalivedConfig"/>
/// from a typed plan of the lab's Service: 172.18.0.18 / fd00:18::12 on the lab's physical network, forwarding the
/// given ports to the lab's ClusterIPs. One replica: the script holds the address; more: keepalived does.
/// </summary>
public sealed record LabGatewayScripts(string Apply, string Check, IReadOnlyList<LabContainer> Containers, IReadOnlyList<IPAddress> Addresses)
{
    public static readonly IPAddress LoadBalancerIPv4 = IPAddress.Parse("172.18.0.18");
    public static readonly IPAddress LoadBalancerIPv6 = IPAddress.Parse("fd00:18::12");

    public static LabGatewayScripts Render(LabFamilies stack, int replicas, IReadOnlyList<ServicePortRule> ports, TimeSpan advertisement, int routerId = 18)
    {
        ArgumentNullException.ThrowIfNull(ports);
        var families = new List<GatewayFamily>();
        if (stack != LabFamilies.IPv6)
        {
            families.Add(new GatewayFamily(LoadBalancerIPv4, IPNetwork.Parse("172.18.0.0/16"), IPAddress.Parse("172.18.0.1"), IPAddress.Parse(FailoverLab.ClusterIPv4)));
        }
        if (stack != LabFamilies.IPv4)
        {
            families.Add(new GatewayFamily(LoadBalancerIPv6, IPNetwork.Parse("fd00:18::/64"), IPAddress.Parse("fd00:18::1"), IPAddress.Parse(FailoverLab.ClusterIPv6)));
        }
        var plan = new GatewayPlan(families, ports, []);
        var redundancy = replicas > 1 ? GatewayRedundancy.Vrrp(replicas, new VrrpRouterId(routerId), advertisement) : GatewayRedundancy.OnePod;
        var apply = GatewayScript.RenderApply(plan, redundancy);
        var check = GatewayScript.RenderCheck(plan, redundancy);
        var environment = new Dictionary<string, string>
        {
            [GatewayBuilder.ApplyScriptVariable] = apply,
            [GatewayBuilder.CheckScriptVariable] = check,
        };
        var containers = new List<LabContainer> { new(GatewayBuilder.ContainerName, GatewayScript.RenderKeeper(TimeSpan.FromSeconds(5)), environment) };
        if (redundancy.IsHighlyAvailable)
        {
            containers.Add(new LabContainer(GatewayBuilder.VrrpContainerName, GatewayScript.RenderVrrp(plan, redundancy),
                new Dictionary<string, string> { [GatewayBuilder.CheckScriptVariable] = check }));
        }
        return new LabGatewayScripts(apply, check, containers, [.. families.Select(f => f.LoadBalancerAddress)]);
    }
}
