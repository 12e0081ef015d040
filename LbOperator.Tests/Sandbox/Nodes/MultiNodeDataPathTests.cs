using k8s;
using k8s.Models;
using LbOperator.Sandbox;
using LbOperator.Sandbox.Nodes;
using LbOperator.Tests.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using static LbOperator.Tests.Sandbox.Nodes.NodeTestEnvironment;

namespace LbOperator.Tests.Sandbox.Nodes;

/// <summary>
/// Two simulated nodes on one physical network: pods on one reach a ClusterIP served by the other, macvlans on
/// different nodes share multicast, and node-down/node-up cut and restore a node through the control socket.
/// </summary>
[Category("DataPath")]
[NonParallelizable]
public sealed class MultiNodeDataPathTests
{
    private const string Attachment = "kube-system/lb-svc-attachment";

    private NodeNetworkOptions _options = null!;
    private SandboxNodes _nodes = null!;
    private RunningSandbox _sandbox = null!;
    private Kubernetes _client = null!;

    [SetUp]
    public async Task Start()
    {
        RequireDataPath();
        _options = UniqueOptions() with { NodeCount = 2 };
        _nodes = await SandboxNodes.StartAsync(_options, NullLoggerFactory.Instance, CancellationToken.None);
        _sandbox = await SandboxServer.StartAsync(_nodes.Apply(new SandboxOptions { NodeMonitorGracePeriod = TimeSpan.FromSeconds(2) }));
        _client = _sandbox.CreateClient();
    }

    [TearDown]
    public async Task Stop()
    {
        _client?.Dispose();
        if (_sandbox is not null)
        {
            await _sandbox.DisposeAsync();
        }
        if (_nodes is not null)
        {
            await _nodes.DisposeAsync();
            (await _nodes.Node.Topology.ListOwnedNamespacesAsync(CancellationToken.None)).Should().BeEmpty();
        }
        if (_options is not null && Directory.Exists(_options.StateDirectory))
        {
            Directory.Delete(_options.StateDirectory, recursive: true);
        }
    }

    [Test]
    public async Task Builds_A_Switch_Two_Nodes_And_Reports_Them_As_Nodes()
    {
        (await _nodes.Node.Topology.ListOwnedNamespacesAsync(CancellationToken.None)).Should().BeEquivalentTo(
            [_options.SwitchNamespace, _options.Prefix + "node-1", _options.Prefix + "node-2", _options.RouterNamespace, _options.ClientNamespace]);
        var snooping = await _nodes.Node.Topology.Switch.IpAsync(CancellationToken.None, "-d", "link", "show", NodeNetworkOptions.SwitchBridge);
        snooping.StandardOutput.Should().Contain("mcast_snooping 0");
        var uplink = await new NetworkNamespace(_options.Prefix + "node-2").IpAsync(CancellationToken.None, "-o", "addr", "show", "eth0");
        uplink.StandardOutput.Should().Contain("172.18.0.3/16");
        (await _client.CoreV1.ListNodeAsync()).Items.Select(n => n.Metadata.Name).Should().Equal("sandbox-node-1", "sandbox-node-2");
        _nodes.Describe().Should().Contain("sandbox-node-2 in " + _options.Prefix + "node-2 (cluster bridge cni0 10.16.2.1/24");
    }

    [Test]
    public async Task A_Pod_On_One_Node_Reaches_A_ClusterIP_Whose_Backend_Is_On_The_Other()
    {
        var backend = OnNode(BackendPod("web"), "sandbox-node-1");
        backend.Metadata.Labels = new Dictionary<string, string> { ["app"] = "web" };
        backend.Spec.Containers[0].Ports = [new V1ContainerPort { ContainerPort = 80 }];
        await _client.CoreV1.CreateNamespacedPodAsync(backend, "default");
        await _client.CoreV1.CreateNamespacedPodAsync(OnNode(SleeperPod("caller"), "sandbox-node-2"), "default");
        var service = await _client.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "web" }, Ports = [new V1ServicePort { Port = 8080, TargetPort = 80 }] },
        }, "default");

        var web = await RunningReadyAsync("web");
        var caller = await RunningReadyAsync("caller");
        web.Status.PodIP.Should().StartWith("10.16.1.");
        caller.Status.PodIP.Should().StartWith("10.16.2.");
        caller.Status.HostIP.Should().Be("172.18.0.3");

        var from = new NetworkNamespace(_nodes.Node.Topology.PodNamespaceName("default", "caller"));
        (await EventuallyCurlAsync(from, $"http://{service.Spec.ClusterIP}:8080/")).Should().Contain("I am on  web");
        (await CurlAsync(from, $"http://{web.Status.PodIP}/")).Should().Contain("I am on  web", "pod addresses route between nodes too");
    }

    [Test]
    public async Task Macvlans_On_Different_Nodes_Share_Multicast()
    {
        if (NodeRequirements.FindOnPath("python3") is null)
        {
            MachineRequirement.Unmet("python3 is needed to send and receive UDP multicast");
        }
        await _client.CoreV1.CreateNamespacedPodAsync(OnNode(SleeperPod("vrrp-a", Attachment), "sandbox-node-1"), "default");
        await _client.CoreV1.CreateNamespacedPodAsync(OnNode(SleeperPod("vrrp-b", Attachment), "sandbox-node-2"), "default");
        await RunningReadyAsync("vrrp-a");
        await RunningReadyAsync("vrrp-b");
        var a = new NetworkNamespace(_nodes.Node.Topology.PodNamespaceName("default", "vrrp-a"));
        var b = new NetworkNamespace(_nodes.Node.Topology.PodNamespaceName("default", "vrrp-b"));
        await a.IpAsync(CancellationToken.None, "addr", "add", "172.18.200.1/16", "dev", "net1");
        await b.IpAsync(CancellationToken.None, "addr", "add", "172.18.200.2/16", "dev", "net1");

        // VRRP's group (224.0.0.18) over UDP: what matters is that the switch floods it to the other node's macvlan.
        const string receive = """
            import socket, struct
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("224.0.0.18", 5405)); s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, struct.pack("4s4s", socket.inet_aton("224.0.0.18"), socket.inet_aton("172.18.200.2")))
            s.settimeout(8); data, sender = s.recvfrom(100); print(data.decode(), sender[0])
            """;
        const string send = """
            import socket, time
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("172.18.200.1"))
            for _ in range(10): s.sendto(b"advert", ("224.0.0.18", 5405)); time.sleep(0.3)
            """;
        var receiving = b.ExecAsync(["python3", "-c", receive], CancellationToken.None, timeout: TimeSpan.FromSeconds(10));
        await Task.Delay(500);
        await a.ExecCheckedAsync(["python3", "-c", send], CancellationToken.None, timeout: TimeSpan.FromSeconds(10));
        var received = await receiving;
        received.ExitCode.Should().Be(0, received.StandardError);
        received.StandardOutput.Trim().Should().Be("advert 172.18.200.1");
    }

    [Test]
    public async Task Node_Down_Cuts_The_Nodes_Pods_Off_And_Node_Up_Brings_Them_Back()
    {
        var pod = OnNode(BackendPod("gw", port: 80), "sandbox-node-1");
        pod.Metadata.Annotations = new Dictionary<string, string> { [NetworkSelection.Annotation] = Attachment };
        await _client.CoreV1.CreateNamespacedPodAsync(pod, "default");
        await RunningReadyAsync("gw");
        var network = new NetworkNamespace(_nodes.Node.Topology.PodNamespaceName("default", "gw"));
        await network.IpAsync(CancellationToken.None, "addr", "add", "172.18.200.10/16", "dev", "net1");
        (await EventuallyCurlAsync(_nodes.Node.Topology.Client, "http://172.18.200.10/")).Should().Contain("I am on  gw");

        var down = await NodeControlClient.SendAsync(_options.ControlSocket, "node-down", "sandbox-node-1", CancellationToken.None);
        down.Should().StartWith("ok sandbox-node-1 is down");
        (await network.ProcessIdsAsync(CancellationToken.None)).Should().BeEmpty("every process of the node's pods is killed");
        var uplink = await _nodes.Node.NodeNamespace("sandbox-node-1").IpAsync(CancellationToken.None, "-o", "link", "show", "eth0");
        uplink.StandardOutput.Should().Contain("state DOWN");
        var cut = await _nodes.Node.Topology.Client.ExecAsync(["curl", "-sS", "--max-time", "2", "http://172.18.200.10/"], CancellationToken.None);
        cut.ExitCode.Should().NotBe(0, "the node's pods are unreachable");
        await Eventually(async () => (await _client.CoreV1.ReadNodeAsync("sandbox-node-1")).Status.Conditions.Single(c => c.Type == "Ready").Status == "Unknown", "the node to go NotReady");
        (await _client.CoreV1.ReadNodeAsync("sandbox-node-2")).Status.Conditions.Single(c => c.Type == "Ready").Status.Should().Be("True");

        var up = await NodeControlClient.SendAsync(_options.ControlSocket, "node-up", "sandbox-node-1", CancellationToken.None);
        up.Should().StartWith("ok sandbox-node-1 is up");
        (await _nodes.Node.NodeNamespace("sandbox-node-1").IpAsync(CancellationToken.None, "-o", "link", "show", "eth0")).StandardOutput.Should().NotContain("state DOWN");
        await Eventually(async () => (await _client.CoreV1.ReadNodeAsync("sandbox-node-1")).Status.Conditions.Single(c => c.Type == "Ready").Status == "True", "the node to be Ready again");
        var restarted = await Eventually(async () => await _client.CoreV1.ReadNamespacedPodAsync("gw", "default"),
            p => p.Status.ContainerStatuses?.SingleOrDefault()?.RestartCount == 1 && p.Status.Conditions.Any(c => c.Type == "Ready" && c.Status == "True"), "the pod to be restarted");
        restarted.Status.PodIP.Should().StartWith("10.16.1.");
        // A new sandbox: the address added by hand went with the old namespace; given again, the pod answers. Its
        // net1 has a new MAC address, which a gateway would announce with arping; here the client just forgets the old one.
        await network.IpAsync(CancellationToken.None, "addr", "add", "172.18.200.10/16", "dev", "net1");
        await _nodes.Node.Topology.Client.IpAsync(CancellationToken.None, "neigh", "flush", "dev", "eth0");
        (await EventuallyCurlAsync(_nodes.Node.Topology.Client, "http://172.18.200.10/")).Should().Contain("I am on  gw");
        // The kernel dropped the uplink's routes when it went down: the node is back only if it reaches the other node's pods.
        await _client.CoreV1.CreateNamespacedPodAsync(OnNode(BackendPod("web", port: 80), "sandbox-node-2"), "default");
        var web = await RunningReadyAsync("web");
        (await EventuallyCurlAsync(network, $"http://{web.Status.PodIP}/")).Should().Contain("I am on  web", "a pod on the node brought back reaches a pod on the other node");

        (await NodeControlClient.SendAsync(_options.ControlSocket, "node-down", "no-such-node", CancellationToken.None)).Should().StartWith("error no simulated node no-such-node");
    }

    private static V1Pod OnNode(V1Pod pod, string node)
    {
        pod.Metadata.NamespaceProperty = null;
        pod.Spec.NodeSelector = new Dictionary<string, string> { ["kubernetes.io/hostname"] = node };
        return pod;
    }

    private async Task<V1Pod> RunningReadyAsync(string name) =>
        await Eventually(() => _client.CoreV1.ReadNamespacedPodAsync(name, "default"),
            p => p.Status.Phase == "Running" && p.Status.Conditions.Any(c => c.Type == "Ready" && c.Status == "True"), $"pod {name} to be Ready");

    private static async Task<T> Eventually<T>(Func<Task<T>> probe, Func<T, bool> condition, string what, double seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            try
            {
                var value = await probe();
                if (condition(value))
                {
                    return value;
                }
            }
            catch (k8s.Autorest.HttpOperationException) when (DateTime.UtcNow < deadline)
            {
                // Not there yet.
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new AssertionException($"timed out waiting for {what}");
            }
            await Task.Delay(100);
        }
    }

    private static Task<bool> Eventually(Func<Task<bool>> probe, string what) => Eventually(probe, ok => ok, what);

    private static async Task<string> EventuallyCurlAsync(NetworkNamespace from, string url)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var result = await from.ExecAsync(["curl", "-sS", "--max-time", "2", url], CancellationToken.None, timeout: TimeSpan.FromSeconds(5));
            if (result.ExitCode == 0 || DateTime.UtcNow > deadline)
            {
                result.ExitCode.Should().Be(0, $"curl {url} from {from.Name}: {result.StandardError}");
                return result.StandardOutput;
            }
            await Task.Delay(200);
        }
    }
}
