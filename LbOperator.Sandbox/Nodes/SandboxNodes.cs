using System.Text;
using LbOperator.Sandbox.Controllers;
using Microsoft.Extensions.Logging;

namespace LbOperator.Sandbox.Nodes;

/// <summary>
/// Composes a <see cref="SimulatedNode"/> with the sandbox: the kubelet's pods run through
/// <see cref="NodePodRuntime"/> and kube-proxy runs beside the server as a client of its API. The API server
/// itself knows nothing of namespaces or iptables. <c>node-down</c>/<c>node-up</c> arrive on the control socket
/// (<see cref="NodeControlServer"/>): the node's machine is powered off or on here, and its kubelet and heartbeat
/// are stopped or resumed through the sandbox's <see cref="NodeOutages"/>.
/// </summary>
public sealed class SandboxNodes : IAsyncDisposable
{
    private readonly NodeControlServer _control;

    private SandboxNodes(SimulatedNode node, ILogger logger)
    {
        Node = node;
        Proxy = new ProxyService(new NodeServiceProxy(node, logger));
        _control = NodeControlServer.Start(node.Options.ControlSocket, HandleControlAsync, logger);
    }

    public SimulatedNode Node { get; }

    /// <summary>The crashed nodes, shared with the sandbox's kubelets and heartbeats by <see cref="Apply"/>.</summary>
    public NodeOutages Outages { get; } = new();

    private ProxyService Proxy { get; }

    /// <summary>Builds the topology (removing a crashed run's leftovers first).</summary>
    public static async Task<SandboxNodes> StartAsync(NodeNetworkOptions options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger("LbOperator.Sandbox.Nodes");
        var node = new SimulatedNode(options, logger);
        await node.StartAsync(cancellationToken);
        return new SandboxNodes(node, logger);
    }

    /// <summary>The sandbox options with these nodes (their names, addresses and pod CIDRs), their pod runtime, their outages and kube-proxy added.</summary>
    public SandboxOptions Apply(SandboxOptions options) => options with
    {
        PodRuntime = new NodePodRuntime(Node),
        Nodes = Node.SandboxNodes,
        NodeOutages = Outages,
        AdditionalServices = [.. options.AdditionalServices, Proxy],
    };

    /// <summary>
    /// Crashes a node: its kubelet and heartbeat stop first (so nothing reports the killed pods), then its uplink goes
    /// down and its pods' processes are killed. Bringing it up: uplink first, then the kubelet, which restarts the
    /// pods still bound to it.
    /// </summary>
    public async Task NodeDownAsync(string nodeName, CancellationToken cancellationToken)
    {
        _ = Node.NodeNamespace(nodeName);
        Outages.Crash(nodeName);
        await Node.PowerOffAsync(nodeName, cancellationToken);
    }

    public async Task NodeUpAsync(string nodeName, CancellationToken cancellationToken)
    {
        await Node.PowerOnAsync(nodeName, cancellationToken);
        Outages.Recover(nodeName);
    }

    private async Task<string> HandleControlAsync(string verb, string nodeName, CancellationToken cancellationToken)
    {
        switch (verb)
        {
            case "node-down":
                await NodeDownAsync(nodeName, cancellationToken);
                return $"{nodeName} is down: its pods' processes killed, its uplink down, its heartbeat stopped";
            case "node-up":
                await NodeUpAsync(nodeName, cancellationToken);
                return $"{nodeName} is up: uplink up, heartbeat resumed, its kubelet restarts the pods still bound to it";
            default:
                throw new ArgumentException($"unknown request '{verb}' (node-down, node-up)");
        }
    }

    /// <summary>A few lines for the console: what was created and how to reach the client namespace.</summary>
    public string Describe()
    {
        var options = Node.Options;
        var text = new StringBuilder();
        var nodes = string.Join(", ", options.Nodes.Select(n =>
            $"{(options.NodeCount == 1 ? "" : n.NodeName + " in ")}{n.Namespace} (cluster bridge {NodeNetworkOptions.ClusterBridge} " +
            $"{string.Join(", ", n.PodNetworks.Select(p => p.GatewayWithPrefix))}, physical interface {NodeNetworkOptions.PhysicalInterface}" +
            (n.UplinkAddress is { } uplink ? $" {uplink}" : "") + ")"));
        text.AppendLine($"nodes: namespaces {nodes}, " +
            $"{options.RouterNamespace} (gateway {string.Join(", ", options.PhysicalNetworks.Select(n => n.GatewayWithPrefix))}), " +
            $"{options.ClientNamespace} ({string.Join(", ", options.ClientAddresses)}); pods get {options.Prefix}pod-<namespace>-<name>");
        text.AppendLine(Node.Podman is not null
            ? "nodes: a container whose image is in podman's local storage runs from it (podman, in the pod's network namespace); " +
              "others run their command on this machine, or the hello-world responder"
            : options.RunImages
                ? "nodes: podman is not installed: containers run their command on this machine, or the hello-world responder (Debian: apt-get install podman runc)"
                : "nodes: running images is off: containers run their command on this machine, or the hello-world responder");
        if (NodeRequirements.FindOnPath("arping") is null)
        {
            // Gateway scripts announce a moved address with arping when they find it; without it the client keeps
            // the old pod's MAC address until its ARP entry goes stale.
            text.AppendLine("nodes: arping is not installed (Debian: iputils-arping): a re-created gateway pod is reachable only once clients' ARP entries expire");
        }
        text.AppendLine($"nodes: switch {options.SwitchNamespace}; crash a node with: LbOperator.Sandbox.Host node-down <node> (node-up to bring it back)");
        text.Append($"nodes: reach a LoadBalancer from outside the cluster with: ip netns exec {options.ClientNamespace} curl http://<EXTERNAL-IP>/");
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _control.DisposeAsync();
        await Node.DisposeAsync();
    }

    private sealed class ProxyService(NodeServiceProxy proxy) : ISandboxService
    {
        public async Task RunAsync(RunningSandbox sandbox, CancellationToken cancellationToken)
        {
            using var client = sandbox.CreateClient();
            await proxy.RunAsync(client, cancellationToken);
        }
    }
}
