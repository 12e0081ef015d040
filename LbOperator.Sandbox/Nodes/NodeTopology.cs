using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace LbOperator.Sandbox.Nodes;

/// <summary>
/// Builds and removes the fixed part of the node simulation: the node namespace (the "host", with the cluster
/// bridge holding the pod gateway and the physical interface eth0), the router namespace (the physical network's
/// gateway) and the client namespace (a machine on the physical network). Router and client are macvlans on the
/// node's eth0, as the gateway pods' net1 will be.
/// </summary>
public sealed class NodeTopology(NodeNetworkOptions options, ILogger logger)
{
    private static readonly string[] Roles = ["node", "router", "client"];

    public NodeNetworkOptions Options { get; } = options;

    public NetworkNamespace Node { get; } = new(options.NodeNamespace);

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
            await CreateNodeAsync(cancellationToken);
            await CreateRouterAsync(cancellationToken);
            await CreateClientAsync(cancellationToken);
        }
        catch
        {
            await StopAsync(CancellationToken.None);
            throw;
        }
        logger.TopologyUp(Node.Name, Router.Name, Client.Name);
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

    /// <summary>True for namespace names this prefix owns: exactly the fixed roles, or pods.</summary>
    public bool Owns(string namespaceName)
    {
        if (!namespaceName.StartsWith(Options.Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        var role = namespaceName[Options.Prefix.Length..];
        return Roles.Contains(role) || role.StartsWith("pod-", StringComparison.Ordinal);
    }

    public async Task<IReadOnlyList<string>> ListOwnedNamespacesAsync(CancellationToken cancellationToken) =>
        (await NetworkNamespace.ListAsync(cancellationToken)).Where(Owns).ToList();

    private async Task<IReadOnlyList<string>> RemoveOwnedNamespacesAsync(CancellationToken cancellationToken)
    {
        var owned = await ListOwnedNamespacesAsync(cancellationToken);
        // Pods first: their net1 macvlans hang off the node's eth0.
        foreach (var name in owned.OrderBy(n => n == Node.Name ? 1 : 0))
        {
            await new NetworkNamespace(name).DeleteAsync(cancellationToken);
        }
        return owned;
    }

    private async Task CreateNodeAsync(CancellationToken cancellationToken)
    {
        await NetworkNamespace.CreateAsync(Node.Name, cancellationToken);
        await Node.SysctlAsync("net.ipv4.ip_forward", "1", cancellationToken);
        await Node.SysctlAsync("net.ipv6.conf.all.forwarding", "1", cancellationToken);
        await Node.IpAsync(cancellationToken, "link", "add", NodeNetworkOptions.ClusterBridge, "type", "bridge");
        foreach (var network in Options.PodNetworks)
        {
            await Node.IpAsync(cancellationToken, AddressAdd(network.GatewayWithPrefix, NodeNetworkOptions.ClusterBridge, network.Family));
        }
        await Node.IpAsync(cancellationToken, "link", "set", NodeNetworkOptions.ClusterBridge, "up");
        // The physical interface is one end of a veth pair: a carrier that is always up, so macvlans on it work.
        await Node.IpAsync(cancellationToken, "link", "add", NodeNetworkOptions.PhysicalInterface, "type", "veth", "peer", "name", "wire0");
        await Node.IpAsync(cancellationToken, "link", "set", "wire0", "up");
        await Node.IpAsync(cancellationToken, "link", "set", NodeNetworkOptions.PhysicalInterface, "up");
        await ServiceProxy.InstallBaseRulesAsync(Node, Options, cancellationToken);
    }

    private async Task CreateRouterAsync(CancellationToken cancellationToken)
    {
        await NetworkNamespace.CreateAsync(Router.Name, cancellationToken);
        await AddMacvlanAsync(Router, NodeNetworkOptions.PhysicalInterface, cancellationToken);
        foreach (var network in Options.PhysicalNetworks)
        {
            await Router.IpAsync(cancellationToken, AddressAdd(network.GatewayWithPrefix, NodeNetworkOptions.PhysicalInterface, network.Family));
        }
        await Router.IpAsync(cancellationToken, "link", "set", NodeNetworkOptions.PhysicalInterface, "up");
    }

    private async Task CreateClientAsync(CancellationToken cancellationToken)
    {
        await NetworkNamespace.CreateAsync(Client.Name, cancellationToken);
        await AddMacvlanAsync(Client, NodeNetworkOptions.PhysicalInterface, cancellationToken);
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

    /// <summary>Adds a macvlan (bridge mode) on the node's physical interface directly inside <paramref name="target"/>.</summary>
    public Task AddMacvlanAsync(NetworkNamespace target, string interfaceName, CancellationToken cancellationToken) =>
        Node.IpAsync(cancellationToken, "link", "add", "link", NodeNetworkOptions.PhysicalInterface, "name", interfaceName,
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
