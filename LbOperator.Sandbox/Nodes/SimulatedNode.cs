using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using k8s.Models;
using LbOperator.Sandbox.Controllers;
using Microsoft.Extensions.Logging;

namespace LbOperator.Sandbox.Nodes;

/// <summary>
/// What a started pod looks like from outside: its addresses on the cluster network, its extra interfaces, and how
/// each of its containers ran (from its image or with a stand-in).
/// </summary>
public sealed record NodePodStatus(string NetworkNamespace, IReadOnlyList<IPAddress> PodIps, IReadOnlyList<NetworkAttachment> Attachments)
{
    public IReadOnlyList<ContainerRun> Containers { get; init; } = [];
}

/// <summary>A pod the simulated node could not start; the message says which step failed and why.</summary>
public sealed class PodStartException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The simulated nodes on this machine: the topology of <see cref="NodeTopology"/>, a network namespace per pod
/// (eth0 on its node's cluster bridge, a macvlan per requested attachment on its node's eth0), the pod's
/// containers run inside it, and each node's kube-proxy. A pod runs on the node its <c>spec.nodeName</c> names. A container whose image is in podman's local storage runs from that image under podman,
/// joined to the pod's namespace; any other keeps a stand-in (its command on this machine, or the hello-world
/// responder). Everything it creates carries the options' prefix and is removed by <see cref="StopAsync"/> or,
/// after a crash, by the next <see cref="StartAsync"/>.
/// </summary>
public sealed class SimulatedNode(NodeNetworkOptions options, ILogger logger) : IAsyncDisposable
{
    private static readonly TimeSpan InitContainerTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    // The gateway's keeper and most servers exit on SIGTERM at once; a container that ignores it is killed after this.
    private static readonly TimeSpan ContainerStopGrace = TimeSpan.FromSeconds(2);

    private readonly NodeTopology _topology = new(options, logger);
    private readonly IReadOnlyList<NodeMachine> _machines = [.. options.Nodes.Select(n => new NodeMachine(n, options))];
    private readonly ConcurrentDictionary<string, RunningPod> _pods = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _podGate = new(1, 1);

    public NodeNetworkOptions Options { get; } = options;

    public NodeTopology Topology => _topology;

    /// <summary>The Node objects of the simulated nodes, for the sandbox to register.</summary>
    public IReadOnlyList<SandboxNode> SandboxNodes => [.. _machines.Select(m => m.Layout.Node)];

    /// <summary>Podman, when this node runs containers from their images; null when every container gets a stand-in.</summary>
    public PodmanRuntime? Podman { get; } = options.RunImages ? PodmanRuntime.Find() : null;

    /// <summary>Builds the topology, after removing what a crashed run of the same prefix left (namespaces and containers).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _topology.StartAsync(cancellationToken);
        if (Podman is not null && await Podman.RemoveLabelledAsync(Options.Prefix, cancellationToken) is { Count: > 0 } leftovers)
        {
            logger.RemovedLeftoverContainers(leftovers.Count, leftovers);
        }
    }

    /// <summary>Stops every pod and removes all namespaces, containers and the state file.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var key in _pods.Keys.ToList())
        {
            if (_pods.TryRemove(key, out var pod))
            {
                await pod.DisposeProcessesAsync();
            }
        }
        if (Podman is not null)
        {
            await Podman.RemoveLabelledAsync(Options.Prefix, cancellationToken);
        }
        await _topology.StopAsync(cancellationToken);
    }

    /// <summary>
    /// Gives the pod its network namespace and runs it: init containers one after another to completion, then the
    /// containers in the background, then waits until they are ready. Starting a pod that runs already returns
    /// its status.
    /// </summary>
    public async Task<NodePodStatus> StartPodAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        var key = PodContainers.Describe(pod);
        if (_pods.TryGetValue(key, out var existing))
        {
            return existing.Status;
        }
        var attachments = ParseAttachments(pod, key);
        var machine = MachineFor(pod.Spec?.NodeName);
        var addresses = await AllocateAsync(machine, cancellationToken);
        var network = new NetworkNamespace(_topology.PodNamespaceName(pod.Metadata.NamespaceProperty ?? "default", pod.Metadata.Name));
        var running = new RunningPod(network, machine, new NodePodStatus(network.Name, addresses, attachments));
        if (!_pods.TryAdd(key, running))
        {
            await ReleaseAsync(machine, addresses, cancellationToken);
            return _pods[key].Status;
        }
        try
        {
            await CreatePodNetworkAsync(network, machine, addresses, attachments, cancellationToken);
            await RunInitContainersAsync(pod, running, cancellationToken);
            await StartContainersAsync(pod, running, cancellationToken);
        }
        catch (Exception e) when (e is CommandFailedException or PodStartException)
        {
            await StopPodAsync(pod.Metadata.NamespaceProperty ?? "default", pod.Metadata.Name, CancellationToken.None);
            throw e as PodStartException ?? new PodStartException($"pod {key}: {e.Message}", e);
        }
        logger.PodStarted(key, network.Name, addresses);
        return running.Status;
    }

    /// <summary>Kills the pod's processes, removes its namespace and frees its addresses; an unknown pod is no error.</summary>
    public async Task StopPodAsync(string podNamespace, string podName, CancellationToken cancellationToken)
    {
        var key = string.Create(CultureInfo.InvariantCulture, $"{podNamespace}/{podName}");
        if (!_pods.TryRemove(key, out var pod))
        {
            return;
        }
        await pod.DisposeProcessesAsync();
        await pod.Network.DeleteAsync(cancellationToken);
        await ReleaseAsync(pod.Machine, pod.Status.PodIps, cancellationToken);
        logger.PodStopped(key, pod.Network.Name);
    }

    /// <summary>The status of a running pod, or null.</summary>
    public NodePodStatus? PodStatus(string podNamespace, string podName) =>
        _pods.TryGetValue($"{podNamespace}/{podName}", out var pod) ? pod.Status : null;

    /// <summary>kube-proxy on every node: makes ClusterIPs answer from the Services' ready endpoints.</summary>
    public async Task SyncServicesAsync(IEnumerable<V1Service> services, IEnumerable<V1Endpoints> endpoints, CancellationToken cancellationToken)
    {
        var serviceList = services.ToList();
        var endpointList = endpoints.ToList();
        foreach (var machine in _machines)
        {
            await machine.Proxy.SyncAsync(serviceList, endpointList, cancellationToken);
        }
    }

    /// <summary>
    /// A power cut: the node's uplink eth0 goes down, taking its pods' macvlans with it, and every process of the
    /// node's pods is killed with SIGKILL (podman's containers removed at once). The pods' namespaces stay, as
    /// their objects stay in the API; the kubelet rebuilds them after <see cref="PowerOnAsync"/>.
    /// </summary>
    public async Task PowerOffAsync(string nodeName, CancellationToken cancellationToken)
    {
        var machine = Machine(nodeName);
        // The network first, as in a power cut: processes are killed one by one, and one that outlives another for a
        // moment (keepalived's VRRP child is told of its parent's death) must not get a last word out.
        await machine.Namespace.IpAsync(cancellationToken, "link", "set", NodeNetworkOptions.PhysicalInterface, "down");
        foreach (var pod in _pods.Values.Where(p => p.Machine == machine))
        {
            await pod.Network.KillProcessesAsync(cancellationToken);
            foreach (var container in pod.ImageContainerNames())
            {
                await Podman!.RemoveAsync(container, TimeSpan.Zero, cancellationToken);
            }
        }
        logger.NodePoweredOff(nodeName);
    }

    /// <summary>The node's uplink comes back up with its routes; its pods are started again by the kubelet, not here.</summary>
    public async Task PowerOnAsync(string nodeName, CancellationToken cancellationToken)
    {
        var machine = Machine(nodeName);
        await _topology.BringUplinkUpAsync(machine.Layout, cancellationToken);
        logger.NodePoweredOn(nodeName);
    }

    /// <summary>The node namespace of a simulated node.</summary>
    public NetworkNamespace NodeNamespace(string nodeName) => Machine(nodeName).Namespace;

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        foreach (var machine in _machines)
        {
            machine.Proxy.Dispose();
        }
        _podGate.Dispose();
    }

    private NodeMachine Machine(string nodeName) =>
        _machines.FirstOrDefault(m => m.Layout.NodeName == nodeName)
        ?? throw new ArgumentException($"no simulated node {nodeName} (nodes: {string.Join(", ", _machines.Select(m => m.Layout.NodeName))})");

    /// <summary>The pod's node; a pod started without one (direct calls in tests) runs on the first.</summary>
    private NodeMachine MachineFor(string? nodeName) =>
        string.IsNullOrEmpty(nodeName) ? _machines[0] : Machine(nodeName);

    private static IReadOnlyList<NetworkAttachment> ParseAttachments(V1Pod pod, string key)
    {
        string? annotation = null;
        pod.Metadata.Annotations?.TryGetValue(NetworkSelection.Annotation, out annotation);
        try
        {
            return NetworkSelection.Parse(annotation, pod.Metadata.NamespaceProperty ?? "default");
        }
        catch (FormatException e)
        {
            throw new PodStartException($"pod {key}: {e.Message}", e);
        }
    }

    private async Task<IReadOnlyList<IPAddress>> AllocateAsync(NodeMachine machine, CancellationToken cancellationToken)
    {
        await _podGate.WaitAsync(cancellationToken);
        var allocated = new List<IPAddress>();
        try
        {
            foreach (var pool in machine.Pools)
            {
                allocated.Add(pool.Allocate());
            }
            return allocated;
        }
        catch (InvalidOperationException e)
        {
            foreach (var pool in machine.Pools)
            {
                allocated.ForEach(pool.Release);
            }
            throw new PodStartException(e.Message, e);
        }
        finally
        {
            _podGate.Release();
        }
    }

    private async Task ReleaseAsync(NodeMachine machine, IReadOnlyList<IPAddress> addresses, CancellationToken cancellationToken)
    {
        await _podGate.WaitAsync(cancellationToken);
        try
        {
            foreach (var pool in machine.Pools)
            {
                foreach (var address in addresses)
                {
                    pool.Release(address);
                }
            }
        }
        finally
        {
            _podGate.Release();
        }
    }

    private static async Task CreatePodNetworkAsync(NetworkNamespace network, NodeMachine machine, IReadOnlyList<IPAddress> addresses, IReadOnlyList<NetworkAttachment> attachments, CancellationToken cancellationToken)
    {
        await NetworkNamespace.CreateAsync(network.Name, cancellationToken);
        // A Kubernetes node forwards IPv4 (kube-proxy requires it) and a pod's namespace inherits that setting from
        // the host; IPv6 forwarding is not inherited, so a pod that forwards IPv6 must turn it on itself.
        await network.SysctlAsync("net.ipv4.ip_forward", "1", cancellationToken);
        var node = machine.Namespace;
        var hostSide = "veth" + NodeTopology.ShortHash(network.Name)[..10];
        await node.IpAsync(cancellationToken, "link", "add", hostSide, "type", "veth", "peer", "name", "eth0", "netns", network.Name);
        await node.IpAsync(cancellationToken, "link", "set", hostSide, "master", NodeNetworkOptions.ClusterBridge, "up");
        for (var i = 0; i < addresses.Count; i++)
        {
            var pool = machine.Pools[i];
            await network.IpAsync(cancellationToken, NodeTopology.AddressAdd($"{addresses[i]}/{pool.Network.Network.PrefixLength}", "eth0", pool.Network.Family));
        }
        await network.IpAsync(cancellationToken, "link", "set", "eth0", "up");
        foreach (var pool in machine.Pools)
        {
            await network.IpAsync(cancellationToken, NodeTopology.FamilyFlag(pool.Network.Family), "route", "add", "default", "via", pool.Network.Gateway.ToString(), "dev", "eth0");
        }
        // As Multus with the macvlan plugin and no IPAM: the interface is there and up, without an address.
        foreach (var attachment in attachments)
        {
            await NodeTopology.AddMacvlanAsync(node, network, attachment.InterfaceName, cancellationToken);
            await network.IpAsync(cancellationToken, "link", "set", attachment.InterfaceName, "up");
        }
    }

    private async Task RunInitContainersAsync(V1Pod pod, RunningPod running, CancellationToken cancellationToken)
    {
        foreach (var container in pod.Spec.InitContainers ?? [])
        {
            var environment = PodContainers.Environment(container, pod, running.Status.PodIps, running.Machine.Layout.NodeName);
            CommandResult result;
            if (await ImageIdAsync(container, cancellationToken) is { } imageId)
            {
                var name = ContainerName(running.Network, container);
                result = await RunImageToCompletionAsync(name, ImageContainerCommand.Run(Podman!.Program, name, Options.Prefix, running.Network.Path, pod, container, environment), cancellationToken);
                running.Record(new ContainerRun(container.Name, Init: true, container.Image, ContainerRunMode.Image, ImageDetail(imageId), imageId));
            }
            else if (PodContainers.CommandLine(container) is { } command)
            {
                result = await CommandRunner.RunAsync(running.Network.ExecCommand(command), cancellationToken,
                    timeout: InitContainerTimeout, environment: environment);
                running.Record(new ContainerRun(container.Name, Init: true, container.Image, ContainerRunMode.HostCommand,
                    $"{StandInReason(container)}: its command ran on the node's own file system, in the pod's network namespace"));
            }
            else
            {
                // An image's own entrypoint cannot run without the image; an init container without a command has nothing to do.
                running.Record(new ContainerRun(container.Name, Init: true, container.Image, ContainerRunMode.Skipped,
                    $"{StandInReason(container)} and the spec has no command: nothing ran"));
                continue;
            }
            await File.WriteAllTextAsync(LogPath(pod, container.Name), result.StandardOutput + result.StandardError, cancellationToken);
            if (result.ExitCode != 0)
            {
                throw new PodStartException(
                    $"pod {PodContainers.Describe(pod)}: init container {container.Name} exited with code {result.ExitCode}: {Tail(result.StandardError + result.StandardOutput)}");
            }
        }
    }

    /// <summary>Runs a container from its image until it exits; one that outlives the timeout is removed, not left running.</summary>
    private async Task<CommandResult> RunImageToCompletionAsync(string name, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        try
        {
            return await CommandRunner.RunAsync(command, cancellationToken, timeout: InitContainerTimeout);
        }
        catch (Exception e) when (e is CommandFailedException or OperationCanceledException)
        {
            // Killing podman's client leaves the container running: remove it too.
            await Podman!.RemoveAsync(name, TimeSpan.Zero, CancellationToken.None);
            throw;
        }
    }

    private async Task StartContainersAsync(V1Pod pod, RunningPod running, CancellationToken cancellationToken)
    {
        foreach (var container in pod.Spec.Containers ?? [])
        {
            var environment = PodContainers.Environment(container, pod, running.Status.PodIps, running.Machine.Layout.NodeName);
            if (await ImageIdAsync(container, cancellationToken) is { } imageId)
            {
                var name = ContainerName(running.Network, container);
                var podman = Podman!;
                var process = ContainerProcess.StartCommandLine(
                    ImageContainerCommand.Run(Podman!.Program, name, Options.Prefix, running.Network.Path, pod, container, environment),
                    $"container {container.Name} from image {container.Image}", new Dictionary<string, string>(), LogPath(pod, container.Name),
                    readyText: null, stop: () => podman.RemoveAsync(name, ContainerStopGrace, CancellationToken.None));
                running.Add(process, container.Name, name);
                running.Record(new ContainerRun(container.Name, Init: false, container.Image, ContainerRunMode.Image, ImageDetail(imageId), imageId));
                ReportExit(process, running, PodContainers.Describe(pod), container.Name);
                continue;
            }
            var command = PodContainers.CommandLine(container);
            if (command is not null)
            {
                var process = ContainerProcess.Start(running.Network, command, environment, LogPath(pod, container.Name));
                running.Add(process);
                running.Record(new ContainerRun(container.Name, Init: false, container.Image, ContainerRunMode.HostCommand,
                    $"{StandInReason(container)}: its command runs on the node's own file system, in the pod's network namespace"));
                ReportExit(process, running, PodContainers.Describe(pod), container.Name);
                continue;
            }
            var tcp = PodContainers.ResponderPorts(container).Select(port => (Protocol: "tcp", Port: port));
            var udp = PodContainers.UdpResponderPorts(container).Select(port => (Protocol: "udp", Port: port));
            var ports = tcp.Concat(udp).ToList();
            foreach (var (protocol, port) in ports)
            {
                var responder = ContainerProcess.Start(running.Network,
                    [.. Options.HelperCommand, "hello-server", "--protocol", protocol, "--port", port.ToString(CultureInfo.InvariantCulture), "--pod-name", pod.Metadata.Name],
                    environment, LogPath(pod, container.Name), HelloServer.ReadyLine);
                running.Add(responder);
                await responder.WaitUntilReadyAsync(ReadyTimeout, cancellationToken);
            }
            running.Record(new ContainerRun(container.Name, Init: false, container.Image, ContainerRunMode.Responder,
                $"{StandInReason(container)} and the spec has no command: the built-in hello-world responder answers on " +
                string.Join(", ", ports.Select(p => $"{p.Protocol.ToUpperInvariant()} {p.Port}"))));
        }
        foreach (var container in pod.Spec.Containers ?? [])
        {
            if (PodContainers.ReadinessCommand(container) is { } probe)
            {
                var probeCommand = running.ImageContainerName(container.Name) is { } name
                    ? ImageContainerCommand.Exec(Podman!.Program, name, probe)
                    : running.Network.ExecCommand(probe);
                await WaitForReadinessAsync(pod, container, probeCommand, cancellationToken);
            }
        }
    }

    /// <summary>The image's ID when this node runs the container from its image; null when a stand-in takes its place.</summary>
    private Task<string?> ImageIdAsync(V1Container container, CancellationToken cancellationToken) =>
        Podman is null ? Task.FromResult<string?>(null) : Podman.ImageIdAsync(container.Image, cancellationToken);

    private string StandInReason(V1Container container) =>
        Podman is null
            ? Options.RunImages
                ? $"podman is not installed, so image \"{container.Image}\" cannot run"
                : $"running images is turned off, so image \"{container.Image}\" does not run"
            : $"image \"{container.Image}\" is not in podman's local storage";

    private static string ImageDetail(string imageId) =>
        $"podman, image ID {imageId[..Math.Min(12, imageId.Length)]}, in the pod's network namespace";

    /// <summary>The podman container's name: the pod's namespace name (unique per pod) and the container's.</summary>
    private static string ContainerName(NetworkNamespace network, V1Container container) => $"{network.Name}-{container.Name}";

    private static async Task WaitForReadinessAsync(V1Pod pod, V1Container container, IReadOnlyList<string> probe, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + ReadyTimeout;
        CommandResult result;
        do
        {
            result = await CommandRunner.RunAsync(probe, cancellationToken, timeout: TimeSpan.FromSeconds(10));
            if (result.ExitCode == 0)
            {
                return;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
        while (DateTime.UtcNow < deadline);
        throw new PodStartException(
            $"pod {PodContainers.Describe(pod)}: container {container.Name} not ready within {ReadyTimeout.TotalSeconds:0} s, readiness probe exited with code {result.ExitCode}: {Tail(result.StandardError + result.StandardOutput)}");
    }

    /// <summary>Logs a container that ends while its pod runs; there are no restarts, so its log file tells why.</summary>
    private void ReportExit(ContainerProcess process, RunningPod running, string pod, string container) =>
        _ = process.Exited.ContinueWith(
            exited =>
            {
                if (_pods.TryGetValue(pod, out var current) && ReferenceEquals(current, running))
                {
                    logger.ContainerExited(pod, container, exited.Result);
                }
            },
            CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);

    private string LogPath(V1Pod pod, string container) =>
        Path.Combine(Options.LogDirectory, $"{pod.Metadata.NamespaceProperty ?? "default"}_{pod.Metadata.Name}_{container}.log");

    private static string Tail(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "(no output)" : string.Join(" | ", lines.TakeLast(5));
    }

    /// <summary>One simulated node: its namespace, its pod address pools and its kube-proxy.</summary>
    private sealed class NodeMachine(NodeLayout layout, NodeNetworkOptions options)
    {
        public NodeLayout Layout { get; } = layout;

        public NetworkNamespace Namespace { get; } = new(layout.Namespace);

        public IReadOnlyList<PodAddressPool> Pools { get; } = [.. layout.PodNetworks.Select(n => new PodAddressPool(n))];

        public ServiceProxy Proxy { get; } = new(new NetworkNamespace(layout.Namespace), options);
    }

    private sealed class RunningPod(NetworkNamespace network, NodeMachine machine, NodePodStatus status)
    {
        public NodeMachine Machine { get; } = machine;

        private readonly List<ContainerProcess> _processes = [];
        private readonly List<ContainerRun> _runs = [];
        private readonly Dictionary<string, string> _imageContainers = new(StringComparer.Ordinal);

        public NetworkNamespace Network { get; } = network;

        /// <summary>The pod's status with the containers run so far.</summary>
        public NodePodStatus Status
        {
            get
            {
                lock (_processes)
                {
                    return status with { Containers = [.. _runs] };
                }
            }
        }

        public void Add(ContainerProcess process, string? container = null, string? imageContainerName = null)
        {
            lock (_processes)
            {
                _processes.Add(process);
                if (container is not null && imageContainerName is not null)
                {
                    _imageContainers[container] = imageContainerName;
                }
            }
        }

        public void Record(ContainerRun run)
        {
            lock (_processes)
            {
                _runs.Add(run);
            }
        }

        public IReadOnlyList<string> ImageContainerNames()
        {
            lock (_processes)
            {
                return [.. _imageContainers.Values];
            }
        }

        /// <summary>The podman container a pod container runs in, when it runs from its image.</summary>
        public string? ImageContainerName(string container)
        {
            lock (_processes)
            {
                return _imageContainers.GetValueOrDefault(container);
            }
        }

        public async Task DisposeProcessesAsync()
        {
            List<ContainerProcess> processes;
            lock (_processes)
            {
                processes = [.. _processes];
                _processes.Clear();
            }
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }
        }
    }
}
