using System.Diagnostics;
using k8s.Models;
using LbOperator.Sandbox.Nodes;
using static LbOperator.Tests.Sandbox.Nodes.NodeTestEnvironment;

namespace LbOperator.Tests.Sandbox.Nodes;

[Category("DataPath")]
[NonParallelizable]
public sealed class SimulatedNodeTests
{
    private NodeNetworkOptions _options = null!;
    private SimulatedNode _node = null!;

    [SetUp]
    public async Task StartNode()
    {
        RequireDataPath();
        _options = UniqueOptions();
        _node = CreateNode(_options);
        await _node.StartAsync(CancellationToken.None);
    }

    [TearDown]
    public async Task StopNode()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
            (await _node.Topology.ListOwnedNamespacesAsync(CancellationToken.None)).Should().BeEmpty("stopping removes every namespace");
        }
        if (_options is not null && Directory.Exists(_options.StateDirectory))
        {
            Directory.Delete(_options.StateDirectory, recursive: true);
        }
    }

    [Test]
    public async Task Topology_Up_And_Down_Leaves_Nothing_Behind()
    {
        var owned = await _node.Topology.ListOwnedNamespacesAsync(CancellationToken.None);
        owned.Should().BeEquivalentTo([_options.SwitchNamespace, _options.NodeNamespace, _options.RouterNamespace, _options.ClientNamespace]);
        File.Exists(_options.StateFile).Should().BeTrue();
        var client = await _node.Topology.Client.IpAsync(CancellationToken.None, "-o", "addr", "show", "eth0");
        client.StandardOutput.Should().Contain("172.18.255.254/16");
        var router = await _node.Topology.Router.IpAsync(CancellationToken.None, "-o", "addr", "show", "eth0");
        router.StandardOutput.Should().Contain("172.18.0.1/16");

        await _node.StartPodAsync(BackendPod("web-1"), CancellationToken.None);
        await _node.StopAsync(CancellationToken.None);

        (await _node.Topology.ListOwnedNamespacesAsync(CancellationToken.None)).Should().BeEmpty();
        File.Exists(_options.StateFile).Should().BeFalse();
        Directory.Exists(_options.LogDirectory).Should().BeFalse();
    }

    [Test]
    public async Task Start_After_A_Crash_Removes_The_Leftovers_And_Their_Processes()
    {
        var status = await _node.StartPodAsync(BackendPod("web-1"), CancellationToken.None);
        var responders = await new NetworkNamespace(status.NetworkNamespace).ProcessIdsAsync(CancellationToken.None);
        responders.Should().NotBeEmpty("the responder runs inside the pod's namespace");
        // A crash: the owner dies without cleaning up; its state file names a process that no longer exists.
        var deadOwner = await DeadProcessIdAsync();
        await new NodeStateFile(_options.StateFile).WriteAsync(new NodeState(deadOwner, _options.Prefix, DateTimeOffset.UtcNow), CancellationToken.None);

        await using var next = CreateNode(_options);
        await next.StartAsync(CancellationToken.None);

        (await NetworkNamespace.ListAsync(CancellationToken.None)).Should().NotContain(status.NetworkNamespace);
        foreach (var id in responders)
        {
            ProcessExists(id).Should().BeFalse($"process {id} of the crashed run's pod is killed");
        }
        (await new NodeStateFile(_options.StateFile).ReadAsync(CancellationToken.None))!.OwnerProcessId.Should().Be(Environment.ProcessId);
    }

    [Test]
    public async Task Refuses_To_Start_Beside_A_Live_Run_With_The_Same_Prefix()
    {
        using var other = Process.Start(new ProcessStartInfo("sleep", "30"))!;
        try
        {
            await new NodeStateFile(_options.StateFile).WriteAsync(new NodeState(other.Id, _options.Prefix, DateTimeOffset.UtcNow), CancellationToken.None);
            var second = CreateNode(_options);
            var start = () => second.StartAsync(CancellationToken.None);
            (await start.Should().ThrowAsync<InvalidOperationException>()).WithMessage($"*already running in process {other.Id}*");
            (await NetworkNamespace.ListAsync(CancellationToken.None)).Should().Contain(_options.NodeNamespace, "the live run keeps its namespaces");
        }
        finally
        {
            other.Kill();
        }
    }

    [Test]
    public async Task Pod_Gets_Eth0_On_The_Cluster_Network_And_Net1_Only_With_The_Attachment()
    {
        var plain = await _node.StartPodAsync(SleeperPod("plain"), CancellationToken.None);
        var attached = await _node.StartPodAsync(SleeperPod("attached", networks: "kube-system/lb-svc-attachment"), CancellationToken.None);

        plain.PodIps.Should().ContainSingle().Which.ToString().Should().StartWith("10.16.0.");
        attached.PodIps.Should().NotIntersectWith(plain.PodIps);
        attached.Attachments.Should().Equal(new NetworkAttachment("kube-system", "lb-svc-attachment", "net1"));

        var plainLinks = await new NetworkNamespace(plain.NetworkNamespace).IpAsync(CancellationToken.None, "-o", "addr", "show");
        plainLinks.StandardOutput.Should().Contain($"eth0    inet {plain.PodIps[0]}/16").And.NotContain("net1");
        var routes = await new NetworkNamespace(plain.NetworkNamespace).IpAsync(CancellationToken.None, "route", "show", "default");
        routes.StandardOutput.Should().Contain("default via 10.16.0.1 dev eth0");

        var attachedNamespace = new NetworkNamespace(attached.NetworkNamespace);
        var net1 = await attachedNamespace.IpAsync(CancellationToken.None, "-d", "link", "show", "net1");
        net1.StandardOutput.Should().Contain("macvlan mode bridge").And.Contain("state UP");
        var net1Addresses = await attachedNamespace.IpAsync(CancellationToken.None, "-4", "-o", "addr", "show", "net1");
        net1Addresses.StandardOutput.Should().BeEmpty("the gateway script assigns net1's address");
    }

    [Test]
    public async Task ClusterIp_Reaches_A_Backend_Responder_From_Another_Pod()
    {
        var backend1 = await _node.StartPodAsync(BackendPod("hello-1", port: 8080), CancellationToken.None);
        var backend2 = await _node.StartPodAsync(BackendPod("hello-2", port: 8080), CancellationToken.None);
        var caller = await _node.StartPodAsync(SleeperPod("caller"), CancellationToken.None);
        await _node.SyncServicesAsync(
            [Service("hello", "10.96.0.20", port: 80, targetPort: 8080)],
            [Endpoints("hello", 8080, backend1.PodIps[0], backend2.PodIps[0])],
            CancellationToken.None);

        var page = await CurlAsync(new NetworkNamespace(caller.NetworkNamespace), "http://10.96.0.20/path?x=1");

        page.Should().Contain("<h1>Hello World!</h1>").And.Contain("RequestURI='/path?x=1'");
        page.Should().MatchRegex("I am on  hello-[12]</h3>");
    }

    [Test]
    public async Task Service_Without_Ready_Endpoints_Stops_Answering()
    {
        var backend = await _node.StartPodAsync(BackendPod("hello-1"), CancellationToken.None);
        var caller = new NetworkNamespace((await _node.StartPodAsync(SleeperPod("caller"), CancellationToken.None)).NetworkNamespace);
        var service = Service("hello", "10.96.0.21", port: 80, targetPort: 80);
        await _node.SyncServicesAsync([service], [Endpoints("hello", 80, backend.PodIps[0])], CancellationToken.None);
        (await CurlAsync(caller, "http://10.96.0.21/")).Should().Contain("hello-1");

        await _node.SyncServicesAsync([service], [Endpoints("hello", 80)], CancellationToken.None);

        var result = await caller.ExecAsync(["curl", "-sS", "--max-time", "2", "http://10.96.0.21/"], CancellationToken.None);
        result.ExitCode.Should().NotBe(0, "no rule translates the ClusterIP once the endpoint is gone");
    }

    [Test]
    public async Task Init_Command_From_The_Pod_Spec_Runs_In_The_Pod_Namespace_And_Carries_Traffic_From_The_Client()
    {
        var backend = await _node.StartPodAsync(BackendPod("dynamic-1"), CancellationToken.None);
        await _node.SyncServicesAsync([Service("test-service", "10.96.0.30", 80, 80)], [Endpoints("test-service", 80, backend.PodIps[0])], CancellationToken.None);
        // What a gateway's init container does, written as a pod spec would carry it: sh -c with the script, values from env.
        const string script = """
            set -eu
            ip addr add "$LB_IP/16" dev net1
            ip link set net1 up
            gw=$(ip -4 route show default | awk '/via/ {print $3; exit}')
            ip rule add iif net1 lookup 100
            ip rule add iif eth0 lookup 100
            ip route add 172.18.0.0/16 dev net1 table 100
            ip route add default via 172.18.0.1 dev net1 table 100
            ip route add "$CLUSTER_IP" via "$gw" dev eth0 table 100
            iptables -t nat -A PREROUTING -d "$LB_IP" -p tcp --dport 80 -j DNAT --to-destination "$CLUSTER_IP:80"
            iptables -t nat -A POSTROUTING -d "$CLUSTER_IP" -j MASQUERADE
            echo configured
            """;
        var init = new V1Container
        {
            Name = "init",
            Image = "vpc-nat-gateway",
            Command = ["sh", "-c", script],
            Env = [new V1EnvVar { Name = "LB_IP", Value = "172.18.0.18" }, new V1EnvVar { Name = "CLUSTER_IP", Value = "10.96.0.30" }],
        };
        var gateway = await _node.StartPodAsync(SleeperPod("lb-svc-test-service", networks: "kube-system/lb-svc-attachment@net1", initContainers: [init]), CancellationToken.None);

        var rules = await new NetworkNamespace(gateway.NetworkNamespace).ExecCheckedAsync(["iptables", "-t", "nat", "-S", "PREROUTING"], CancellationToken.None);
        rules.StandardOutput.Should().Contain("172.18.0.18/32").And.Contain("--to-destination 10.96.0.30:80");
        File.ReadAllText(Path.Combine(_options.LogDirectory, "default_lb-svc-test-service_init.log")).Should().Contain("configured");

        var page = await CurlAsync(_node.Topology.Client, "http://172.18.0.18/");

        page.Should().Contain("Hello World!").And.Contain("I am on  dynamic-1");
    }

    [Test]
    public async Task Failing_Init_Container_Fails_The_Pod_With_Its_Output_And_Leaves_No_Namespace()
    {
        var init = new V1Container { Name = "setup", Image = "x", Command = ["sh", "-c", "echo no such device >&2; exit 3"] };

        var start = () => _node.StartPodAsync(SleeperPod("broken", initContainers: [init]), CancellationToken.None);

        (await start.Should().ThrowAsync<PodStartException>())
            .WithMessage("pod default/broken: init container setup exited with code 3: no such device");
        (await NetworkNamespace.ListAsync(CancellationToken.None)).Should().NotContain(_node.Topology.PodNamespaceName("default", "broken"));
        _node.PodStatus("default", "broken").Should().BeNull();
    }

    [Test]
    public async Task Stopped_Pod_Frees_Its_Namespace_And_Address()
    {
        var first = await _node.StartPodAsync(BackendPod("web-1"), CancellationToken.None);

        await _node.StopPodAsync("default", "web-1", CancellationToken.None);
        var second = await _node.StartPodAsync(SleeperPod("web-2"), CancellationToken.None);

        (await NetworkNamespace.ListAsync(CancellationToken.None)).Should().NotContain(first.NetworkNamespace);
        second.PodIps.Should().Equal(first.PodIps, "the freed address is the lowest free one again");
    }

    private static async Task<int> DeadProcessIdAsync()
    {
        using var process = Process.Start(new ProcessStartInfo("true"))!;
        await process.WaitForExitAsync();
        return process.Id;
    }

    private static bool ProcessExists(int id) => Directory.Exists($"/proc/{id}");
}
