using System.Text;
using Microsoft.Extensions.Logging;

namespace LbOperator.Sandbox.Nodes;

/// <summary>
/// Composes a <see cref="SimulatedNode"/> with the sandbox: the kubelet's pods run through
/// <see cref="NodePodRuntime"/> and kube-proxy runs beside the server as a client of its API. The API server
/// itself knows nothing of namespaces or iptables.
/// </summary>
public sealed class SandboxNodes : IAsyncDisposable
{
    private SandboxNodes(SimulatedNode node, ILogger logger)
    {
        Node = node;
        Proxy = new ProxyService(new NodeServiceProxy(node, logger));
    }

    public SimulatedNode Node { get; }

    private ProxyService Proxy { get; }

    /// <summary>Builds the topology (removing a crashed run's leftovers first).</summary>
    public static async Task<SandboxNodes> StartAsync(NodeNetworkOptions options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger("LbOperator.Sandbox.Nodes");
        var node = new SimulatedNode(options, logger);
        await node.StartAsync(cancellationToken);
        return new SandboxNodes(node, logger);
    }

    /// <summary>The sandbox options with this node as pod runtime, its pod network as pod CIDR and kube-proxy added.</summary>
    public SandboxOptions Apply(SandboxOptions options) => options with
    {
        PodRuntime = new NodePodRuntime(Node),
        Nodes = [SandboxNode.Cluster(1)[0] with { PodCidr = Node.Options.PodNetworks[0].Network }],
        AdditionalServices = [.. options.AdditionalServices, Proxy],
    };

    /// <summary>A few lines for the console: what was created and how to reach the client namespace.</summary>
    public string Describe()
    {
        var options = Node.Options;
        var text = new StringBuilder();
        text.AppendLine($"nodes: namespaces {options.NodeNamespace} (cluster bridge {NodeNetworkOptions.ClusterBridge} " +
            $"{string.Join(", ", options.PodNetworks.Select(n => n.GatewayWithPrefix))}, physical interface {NodeNetworkOptions.PhysicalInterface}), " +
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
        text.Append($"nodes: reach a LoadBalancer from outside the cluster with: ip netns exec {options.ClientNamespace} curl http://<EXTERNAL-IP>/");
        return text.ToString();
    }

    public ValueTask DisposeAsync() => Node.DisposeAsync();

    private sealed class ProxyService(NodeServiceProxy proxy) : ISandboxService
    {
        public async Task RunAsync(RunningSandbox sandbox, CancellationToken cancellationToken)
        {
            using var client = sandbox.CreateClient();
            await proxy.RunAsync(client, cancellationToken);
        }
    }
}
