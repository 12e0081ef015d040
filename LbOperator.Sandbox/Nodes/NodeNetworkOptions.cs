using System.Net;
using System.Net.Sockets;

namespace LbOperator.Sandbox.Nodes;

/// <summary>A network with its router's address, e.g. 10.16.0.0/16 via 10.16.0.1.</summary>
public sealed record GatewayedNetwork(IPNetwork Network, IPAddress Gateway)
{
    public AddressFamily Family => Network.BaseAddress.AddressFamily;

    /// <summary>The gateway with the network's prefix length, as <c>ip addr add</c> takes it.</summary>
    public string GatewayWithPrefix => $"{Gateway}/{Network.PrefixLength}";

    public static GatewayedNetwork Parse(string network, string gateway)
    {
        var parsed = IPNetwork.Parse(network);
        var address = IPAddress.Parse(gateway);
        if (!parsed.Contains(address))
        {
            throw new ArgumentException($"gateway {address} is not inside network {parsed}");
        }
        return new GatewayedNetwork(parsed, address);
    }
}

/// <summary>
/// What the node simulation builds, and under which names. Every network namespace it creates is named
/// <see cref="Prefix"/> + a role, so that a crashed run's leftovers are found by the prefix alone.
/// </summary>
/// <param name="Prefix">Start of every namespace name, e.g. <c>lbop-</c>.</param>
/// <param name="PodNetworks">The cluster network, one entry per address family: pods' eth0 addresses and default gateway.</param>
/// <param name="PhysicalNetworks">The network outside the cluster the LoadBalancer addresses come from, one per family; its gateway lives in the router namespace.</param>
/// <param name="ClientAddresses">The client namespace's addresses on the physical network, one per family.</param>
/// <param name="StateDirectory">Where the state file of a running simulation is kept.</param>
public sealed record NodeNetworkOptions(
    string Prefix,
    IReadOnlyList<GatewayedNetwork> PodNetworks,
    IReadOnlyList<GatewayedNetwork> PhysicalNetworks,
    IReadOnlyList<IPAddress> ClientAddresses,
    string StateDirectory)
{
    /// <summary>The name of the node's physical interface: macvlan attachments hang off it, like the seed's NAD master "eth0".</summary>
    public const string PhysicalInterface = "eth0";

    /// <summary>The bridge in the node namespace that pods' eth0 veths are plugged into; it holds the pod gateway address.</summary>
    public const string ClusterBridge = "cni0";

    public const string DefaultPrefix = "lbop-";

    public const string DefaultStateDirectory = "/run/lboperator-sandbox";

    /// <summary>
    /// Kube-OVN's default pod network 10.16.0.0/16 via 10.16.0.1, and the seed's Subnet 172.18.0.0/16 via 172.18.0.1
    /// as the physical network, with the client at its last usable address (outside the seed's excluded range,
    /// unlikely to be handed out first).
    /// </summary>
    public static NodeNetworkOptions Default { get; } = new(
        DefaultPrefix,
        [GatewayedNetwork.Parse("10.16.0.0/16", "10.16.0.1")],
        [GatewayedNetwork.Parse("172.18.0.0/16", "172.18.0.1")],
        [IPAddress.Parse("172.18.255.254")],
        DefaultStateDirectory);

    /// <summary>
    /// <see cref="Default"/> plus IPv6: pods get fd00:10:16::/64 addresses too, and the physical network carries
    /// fd00:172:18::/64 with its gateway at ::1 and the client at ::fe.
    /// </summary>
    public static NodeNetworkOptions DualStack { get; } = Default with
    {
        PodNetworks = [.. Default.PodNetworks, GatewayedNetwork.Parse("fd00:10:16::/64", "fd00:10:16::1")],
        PhysicalNetworks = [.. Default.PhysicalNetworks, GatewayedNetwork.Parse("fd00:172:18::/64", "fd00:172:18::1")],
        ClientAddresses = [.. Default.ClientAddresses, IPAddress.Parse("fd00:172:18::fe")],
    };

    /// <summary>
    /// The command line that starts the sandbox's executable, which serves the hidden <c>hello-server</c> command
    /// that stands in for backend containers; by default this process's own program.
    /// </summary>
    public IReadOnlyList<string> HelperCommand { get; init; } = SelfCommand.CurrentProcess();

    /// <summary>
    /// Whether a container whose image is in podman's local storage runs from that image (under podman, joined to
    /// the pod's network namespace). Off, or without podman, every container gets the stand-ins.
    /// </summary>
    public bool RunImages { get; init; } = true;

    /// <summary>How many nodes to simulate; 1 keeps the single node <c>&lt;prefix&gt;node</c> of earlier versions.</summary>
    public int NodeCount { get; init; } = 1;

    /// <summary>The bridge in the switch namespace that every node's uplink, the router and the client plug into.</summary>
    public const string SwitchBridge = "br0";

    /// <summary>The first node's namespace (the only one when <see cref="NodeCount"/> is 1).</summary>
    public string NodeNamespace => Nodes[0].Namespace;

    /// <summary>The physical network's switch: a namespace holding one bridge, so no node's uplink carries anyone else.</summary>
    public string SwitchNamespace => Prefix + "net";

    /// <summary>
    /// Every node: with one, <c>sandbox-node</c> in <c>&lt;prefix&gt;node</c> with <see cref="PodNetworks"/> as they
    /// are; with several, <c>sandbox-node-i</c> in <c>&lt;prefix&gt;node-i</c> with the i-th /24 of the IPv4 pod
    /// network (10.16.i.0/24 via 10.16.i.1) and the address <see cref="SandboxNode.Cluster"/> gives it on the
    /// physical network (172.18.0.(1+i)).
    /// </summary>
    public IReadOnlyList<NodeLayout> Nodes
    {
        get
        {
            var sandboxNodes = SandboxNode.Cluster(NodeCount);
            if (NodeCount == 1)
            {
                return [new NodeLayout(sandboxNodes[0] with { PodCidr = PodNetworks[0].Network }, Prefix + "node", PodNetworks, null, "p-node")];
            }

            return [.. sandboxNodes.Select((node, i) => new NodeLayout(
                node with { PodCidr = PodSubnet(i + 1) },
                $"{Prefix}node-{i + 1}",
                [new GatewayedNetwork(PodSubnet(i + 1), AddressMath.At(PodSubnet(i + 1), 1))],
                node.InternalIp,
                $"p-node-{i + 1}"))];
        }
    }

    /// <summary>The i-th /24 of the IPv4 pod network: each of several nodes gets its own, as a node's podCIDR.</summary>
    private IPNetwork PodSubnet(int index)
    {
        var bytes = PodNetworks[0].Network.BaseAddress.GetAddressBytes();
        bytes[2] = (byte)index;
        bytes[3] = 0;
        return new IPNetwork(new IPAddress(bytes), 24);
    }

    public string RouterNamespace => Prefix + "router";

    public string ClientNamespace => Prefix + "client";

    public string StateFile => Path.Combine(StateDirectory, Prefix + "state.json");

    /// <summary>The Unix socket <c>node-down</c>/<c>node-up</c> talk to (see <see cref="NodeControlServer"/>).</summary>
    public string ControlSocket => Path.Combine(StateDirectory, Prefix + "control.sock");

    public string LogDirectory => Path.Combine(StateDirectory, Prefix + "logs");

    /// <summary>Checks what the kernel would otherwise reject later with a less helpful message.</summary>
    public void Validate()
    {
        if (Prefix.Length is 0 or > 40 || !Prefix.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new ArgumentException($"node namespace prefix '{Prefix}' must be 1 to 40 characters of letters, digits, '-', '_' or '.'");
        }
        foreach (var list in new[] { PodNetworks, PhysicalNetworks })
        {
            if (list.Count == 0 || list.GroupBy(n => n.Family).Any(g => g.Count() > 1))
            {
                throw new ArgumentException("pod and physical networks need one entry per address family, at least one");
            }
        }
        if (NodeCount is < 1 or > 8)
        {
            throw new ArgumentException($"node count {NodeCount} must be between 1 and 8 (node addresses 172.18.0.2 to .9 lie in the seed Subnet's excluded range)");
        }
        if (NodeCount > 1 && (PodNetworks.Count != 1 || PodNetworks[0].Family != AddressFamily.InterNetwork || PodNetworks[0].Network.PrefixLength > 16))
        {
            throw new ArgumentException("several nodes need a single IPv4 pod network of /16 or larger (each node gets one /24 of it); dual stack is simulated on one node only");
        }
        foreach (var client in ClientAddresses)
        {
            var physical = PhysicalNetworks.FirstOrDefault(n => n.Network.Contains(client))
                ?? throw new ArgumentException($"client address {client} is not inside any physical network ({string.Join(", ", PhysicalNetworks.Select(n => n.Network))})");
            if (client.Equals(physical.Gateway))
            {
                throw new ArgumentException($"client address {client} is the physical network's gateway");
            }
        }
    }
}
