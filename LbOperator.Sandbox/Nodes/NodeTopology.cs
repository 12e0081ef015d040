using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace LbOperator.Sandbox.Nodes;

/// <summary>
/// Builds and removes the fixed part of the node simulation: the switch namespace (the physical network, one bridge
/// with multicast snooping off), one namespace per node (the "host", with the cluster bridge holding its pod
/// gateway and the physical interface eth0, a veth into the switch), the router namespace (the physical network's
/// gateway) and the client namespace (a machine on the physical network). Router and client hang off the switch
/// by their own veths, so a node whose uplink goes down takes nobody else with it.
/// </summary>
public sealed class NodeTopology(NodeNetworkOptions options, ILogger logger)
{
    private static readonly string[] Roles = ["node", "router", "client", "net"];

    public NodeNetworkOptions Options { get; } = options;

    /// <summary>The first node's namespace (the only one with one node).</summary>
    public NetworkNamespace Node => Nodes[0];

    /// <summary>Every node's namespace, in the order of <see cref="NodeNetworkOptions.Nodes"/>.</summary>
    public IReadOnlyList<NetworkNamespace> Nodes { get; } = [.. options.Nodes.Select(n => new NetworkNamespace(n.Namespace))];

    private IReadOnlyList<string> NodeNames { get; } = [.. options.Nodes.Select(n => n.Namespace)];

    public NetworkNamespace Switch { get; } = new(options.SwitchNamespace);

    public NetworkNamespace Router { get; } = new(options.RouterNamespace);

    public NetworkNamespace Client { get; } = new(options.ClientNamespace);

    private NodeStateFile StateFile { get; } = new(options.StateFile);

    /// <summary>
    /// Removes what a crashed run left behind, refuses to start beside a live run with the same prefix, then
    /// creates the namespaces and links.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Options.Validate();
        await NodeRequirements.CheckAsync(cancellationToken);
        var previous = await StateFile.ReadAsync(cancellationToken);
        if (previous is not null && NodeStateFile.IsOwnedByAnotherLiveProcess(previous))
        {
            throw new InvalidOperationException(
                $"node simulation with prefix '{Options.Prefix}' is already running in process {previous.OwnerProcessId} " +
                $"(state file {StateFile.Path}); stop it first");
        }
        var leftovers = await RemoveOwnedNamespacesAsync(cancellationToken);
        if (leftovers.Count > 0)
        {
            logger.RemovedLeftovers(leftovers.Count, leftovers);
        }
        await StateFile.WriteAsync(new NodeState(Environment.ProcessId, Options.Prefix, DateTimeOffset.UtcNow), cancellationToken);
        Directory.CreateDirectory(Options.LogDirectory);
        try
        {
            await CreateSwitchAsync(cancellationToken);
            foreach (var layout in Options.Nodes)
            {
                await CreateNodeAsync(layout, cancellationToken);
            }
            await CreateRouterAsync(cancellationToken);
            await CreateClientAsync(cancellationToken);
        }
        catch
        {
            await StopAsync(CancellationToken.None);
            throw;
        }
        logger.TopologyUp(NodeNames, Router.Name, Client.Name);
    }

    /// <summary>Removes every namespace of this prefix (pods included, with their processes) and the state file.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await RemoveOwnedNamespacesAsync(cancellationToken);
        StateFile.Delete();
        if (Directory.Exists(Options.LogDirectory))
        {
            Directory.Delete(Options.LogDirectory, recursive: true);
        }
    }

    /// <summary>
    /// The namespace a pod gets: <c>&lt;prefix&gt;pod-&lt;namespace&gt;-&lt;name&gt;</c>, shortened with a hash
    /// when long (namespace names are file names).
    /// </summary>
    public string PodNamespaceName(string podNamespace, string podName)
    {
        var name = $"{Options.Prefix}pod-{podNamespace}-{podName}";
        return name.Length <= 100 ? name : $"{name[..83]}-{ShortHash(name)}";
    }

    /// <summary>True for namespace names this prefix owns: exactly the fixed roles, numbered nodes, or pods.</summary>
    public bool Owns(string namespaceName)
    {
        if (!namespaceName.StartsWith(Options.Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        var role = namespaceName[Options.Prefix.Length..];
        return Roles.Contains(role) || role.StartsWith("pod-", StringComparison.Ordinal)
            || (role.StartsWith("node-", StringComparison.Ordinal) && role.Length > 5 && role[5..].All(char.IsAsciiDigit));
    }

    public async Task<IReadOnlyList<string>> ListOwnedNamespacesAsync(CancellationToken cancellationToken) =>
        (await NetworkNamespace.ListAsync(cancellationToken)).Where(Owns).ToList();

    private async Task<IReadOnlyList<string>> RemoveOwnedNamespacesAsync(CancellationToken cancellationToken)
    {
        var owned = await ListOwnedNamespacesAsync(cancellationToken);
        // Pods first: their net1 macvlans hang off their node's eth0.
        foreach (var name in owned.OrderBy(n => n.StartsWith(Options.Prefix + "pod-", StringComparison.Ordinal) ? 0 : 1))
        {
            await new NetworkNamespace(name).DeleteAsync(cancellationToken);
        }
        return owned;
    }

    private async Task CreateSwitchAsync(CancellationToken cancellationToken)
    {
        await NetworkNamespace.CreateAsync(Switch.Name, cancellationToken);
        // Snooping off: multicast (VRRP to 224.0.0.18) floods to every port as on a plain switch.
        await Switch.IpAsync(cancellationToken, "link", "add", NodeNetworkOptions.SwitchBridge, "type", "bridge", "mcast_snooping", "0");
        await Switch.IpAsync(cancellationToken, "link", "set", NodeNetworkOptions.SwitchBridge, "up");
    }

    /// <summary>A veth from a switch port to <paramref name="target"/>'s eth0, the port plugged into the bridge.</summary>
    private async Task PlugIntoSwitchAsync(string port, NetworkNamespace target, CancellationToken cancellationToken)
    {
        await Switch.IpAsync(cancellationToken, "link", "add", port, "type", "veth", "peer", "name", NodeNetworkOptions.PhysicalInterface, "netns", target.Name);
        await Switch.IpAsync(cancellationToken, "link", "set", port, "master", NodeNetworkOptions.SwitchBridge, "up");
    }

    private const string ClusterBridgeMac = "02:00:0a:10:00:01";

    private async Task CreateNodeAsync(NodeLayout layout, CancellationToken cancellationToken)
    {
        var node = new NetworkNamespace(layout.Namespace);
        await NetworkNamespace.CreateAsync(node.Name, cancellationToken);
        await node.SysctlAsync("net.ipv4.ip_forward", "1", cancellationToken);
        await node.SysctlAsync("net.ipv6.conf.all.forwarding", "1", cancellationToken);
        // A bridge without an address of its own takes the lowest MAC of its ports, so pods coming and going would change
        // the pod gateway's MAC under the other pods' neighbour entries (their traffic then goes nowhere until the entry
        // is probed again). Each node's bridge is an L2 domain of its own: one locally administered address serves all.
        await node.IpAsync(cancellationToken, "link", "add", NodeNetworkOptions.ClusterBridge, "address", ClusterBridgeMac, "type", "bridge");
        foreach (var network in layout.PodNetworks)
        {
            await node.IpAsync(cancellationToken, AddressAdd(network.GatewayWithPrefix, NodeNetworkOptions.ClusterBridge, network.Family));
        }
        await node.IpAsync(cancellationToken, "link", "set", NodeNetworkOptions.ClusterBridge, "up");
        // The physical interface is a veth into the switch: its carrier is up until the node "crashes".
        await PlugIntoSwitchAsync(layout.SwitchPort, node, cancellationToken);
        if (layout.UplinkAddress is { } uplink)
        {
            var physical = Options.PhysicalNetworks[0];
            await node.IpAsync(cancellationToken, AddressAdd($"{uplink}/{physical.Network.PrefixLength}", NodeNetworkOptions.PhysicalInterface, physical.Family));
        }
        await BringUplinkUpAsync(layout, cancellationToken);
        await ServiceProxy.InstallBaseRulesAsync(node, Options, cancellationToken);
    }

    /// <summary>
    /// Sets the node's uplink eth0 up and routes every other node's pod networks through it, as a flat-routed pod
    /// network. The kernel drops a link's routes when it goes down, so a node brought back after a crash needs them
    /// again, as a rebooted node's network configuration would restore them.
    /// </summary>
    public async Task BringUplinkUpAsync(NodeLayout layout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var node = new NetworkNamespace(layout.Namespace);
        await node.IpAsync(cancellationToken, "link", "set", NodeNetworkOptions.PhysicalInterface, "up");
        foreach (var other in Options.Nodes.Where(n => n.Namespace != layout.Namespace && n.UplinkAddress is not null))
        {
            foreach (var network in other.PodNetworks)
            {
                await node.IpAsync(cancellationToken, FamilyFlag(network.Family), "route", "replace", network.Network.ToString(),
                    "via", other.UplinkAddress!.ToString(), "dev", NodeNetworkOptions.PhysicalInterface);
            }
        }
    }

    private async Task CreateRouterAsync(CancellationToken cancellationToken)
    {
        await NetworkNamespace.CreateAsync(Router.Name, cancellationToken);
        await PlugIntoSwitchAsync("p-router", Router, cancellationToken);
        foreach (var network in Options.PhysicalNetworks)
        {
            await Router.IpAsync(cancellationToken, AddressAdd(network.GatewayWithPrefix, NodeNetworkOptions.PhysicalInterface, network.Family));
        }
        await Router.IpAsync(cancellationToken, "link", "set", NodeNetworkOptions.PhysicalInterface, "up");
    }

    private async Task CreateClientAsync(CancellationToken cancellationToken)
    {
        await NetworkNamespace.CreateAsync(Client.Name, cancellationToken);
        await PlugIntoSwitchAsync("p-client", Client, cancellationToken);
        foreach (var address in Options.ClientAddresses)
        {
            var network = Options.PhysicalNetworks.First(n => n.Network.Contains(address));
            await Client.IpAsync(cancellationToken, AddressAdd($"{address}/{network.Network.PrefixLength}", NodeNetworkOptions.PhysicalInterface, network.Family));
        }
        await Client.IpAsync(cancellationToken, "link", "set", NodeNetworkOptions.PhysicalInterface, "up");
        foreach (var address in Options.ClientAddresses)
        {
            var network = Options.PhysicalNetworks.First(n => n.Network.Contains(address));
            await Client.IpAsync(cancellationToken, FamilyFlag(network.Family), "route", "add", "default", "via", network.Gateway.ToString(), "dev", NodeNetworkOptions.PhysicalInterface);
        }
    }

    /// <summary>Adds a macvlan (bridge mode) on a node's physical interface directly inside <paramref name="target"/>.</summary>
    public static Task AddMacvlanAsync(NetworkNamespace node, NetworkNamespace target, string interfaceName, CancellationToken cancellationToken) =>
        node.IpAsync(cancellationToken, "link", "add", "link", NodeNetworkOptions.PhysicalInterface, "name", interfaceName,
            "netns", target.Name, "type", "macvlan", "mode", "bridge");

    /// <summary><c>addr add</c> arguments; IPv6 skips duplicate address detection so the address is usable at once.</summary>
    public static string[] AddressAdd(string addressWithPrefix, string device, AddressFamily family) =>
        family == AddressFamily.InterNetworkV6
            ? ["-6", "addr", "add", addressWithPrefix, "dev", device, "nodad"]
            : ["addr", "add", addressWithPrefix, "dev", device];

    public static string FamilyFlag(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? "-6" : "-4";

    public static string ShortHash(string value) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value)))[..12];
}
