using System.Net;

namespace LbOperator.Sandbox.Nodes;

/// <summary>
/// One simulated node's place in the topology: its Node name, its network namespace, its pod networks (gateway on
/// its cluster bridge) and, when there are several nodes, its address on the physical network, through which the
/// other nodes route to its pods.
/// </summary>
/// <param name="Node">The Node object the sandbox registers for this node.</param>
/// <param name="Namespace">The node's network namespace.</param>
/// <param name="PodNetworks">This node's pod networks, one per address family.</param>
/// <param name="UplinkAddress">The node's address on eth0 with the physical network's prefix length; null for a single node, which routes to nobody.</param>
/// <param name="SwitchPort">The switch-side end of the node's uplink veth.</param>
public sealed record NodeLayout(SandboxNode Node, string Namespace, IReadOnlyList<GatewayedNetwork> PodNetworks, IPAddress? UplinkAddress, string SwitchPort)
{
    public string NodeName => Node.Name;
}
