using k8s;
using k8s.Models;
using LbOperator.Cli;
using LbOperator.Gateway;
using LbOperator.Sandbox;
using LbOperator.Sandbox.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using static LbOperator.Tests.Sandbox.Nodes.NodeTestEnvironment;

namespace LbOperator.Tests.Sandbox.Nodes;

/// <summary>
/// The seed's objects created through the sandbox's API with the node simulation as its pod runtime: Deployments
/// become pods in network namespaces, Services answer on their ClusterIP, and a gateway Deployment built by
/// <see cref="GatewayBuilder"/> makes the LoadBalancer address answer the client namespace.
/// </summary>
[Category("DataPath")]
[NonParallelizable]
public sealed class SandboxNodesApiTests
{
    private NodeNetworkOptions _options = null!;
    private SandboxNodes _nodes = null!;
    private RunningSandbox _sandbox = null!;
    private Kubernetes _client = null!;

    [SetUp]
    public async Task Start()
    {
        RequireDataPath();
        _options = UniqueOptions();
        _nodes = await SandboxNodes.StartAsync(_options, NullLoggerFactory.Instance, CancellationToken.None);
        _sandbox = await SandboxServer.StartAsync(_nodes.Apply(new SandboxOptions()));
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
    public async Task Deployment_Pods_Get_Namespaces_And_Are_Running_Ready_With_Their_Address_Until_Deleted()
    {
        await _client.AppsV1.CreateNamespacedDeploymentAsync(Seed<V1Deployment>(), "default");

        var pods = await RunningReadyPodsAsync("app=dynamic", 2);

        foreach (var pod in pods)
        {
            var network = new NetworkNamespace(_nodes.Node.Topology.PodNamespaceName("default", pod.Metadata.Name));
            var eth0 = await network.IpAsync(CancellationToken.None, "-4", "-o", "addr", "show", "eth0");
            eth0.StandardOutput.Should().Contain($"inet {pod.Status.PodIP}/16");
            pod.Status.PodIP.Should().StartWith("10.16.0.");
        }

        await _client.AppsV1.DeleteNamespacedDeploymentAsync("dynamic", "default", propagationPolicy: "Foreground");
        await EventuallyAsync(async () =>
        {
            var left = await NetworkNamespace.ListAsync(CancellationToken.None);
            return pods.All(p => !left.Contains(_nodes.Node.Topology.PodNamespaceName("default", p.Metadata.Name))) ? "" : null;
        }, "the pods' namespaces are removed with the pods");
    }

    [Test]
    public async Task Gateway_Deployment_Built_By_The_Builder_Makes_The_LoadBalancer_Address_Answer_The_Client()
    {
        await _client.AppsV1.CreateNamespacedDeploymentAsync(Seed<V1Deployment>(), "default");
        var service = await _client.CoreV1.CreateNamespacedServiceAsync(Seed<V1Service>(), "default");
        await RunningReadyPodsAsync("app=dynamic", 2);

        // The ClusterIP answers from a pod, through the endpoints the sandbox computed and kube-proxy's rules.
        var caller = new NetworkNamespace((await _nodes.Node.StartPodAsync(SleeperPod("caller"), CancellationToken.None)).NetworkNamespace);
        (await EventuallyCurlAsync(caller, $"http://{service.Spec.ClusterIP}/")).Should().Contain("I am on  dynamic-");

        // The operator's part, by hand: plan the seed's objects as they are on the server, build the gateway, create it.
        var manifests = ManifestReader.Default.ReadFiles(SeedFiles("subnet.yaml"))
            .Append(new Manifest("api", 0, "v1", "Service", "default", service.Metadata.Name, service, null)).ToList();
        var planned = OfflinePlanner.Plan(manifests, requireClusterIp: true).Single();
        planned.Error.Should().BeNull();
        var gateway = GatewayBuilder.Build(service, planned.Plan!, planned.Addresses, new GatewaySettings());
        await _client.AppsV1.CreateNamespacedDeploymentAsync(gateway, "default");
        var gatewayPod = (await RunningReadyPodsAsync("app=lb-svc-test-service", 1)).Single();

        var page = await EventuallyCurlAsync(_nodes.Node.Topology.Client, "http://172.18.0.18/");

        page.Should().Contain("<h1>Hello World!</h1>").And.Contain("I am on  dynamic-");
        var net1 = await new NetworkNamespace(_nodes.Node.Topology.PodNamespaceName("default", gatewayPod.Metadata.Name))
            .IpAsync(CancellationToken.None, "-4", "-o", "addr", "show", "net1");
        net1.StandardOutput.Should().Contain("inet 172.18.0.18/16");
    }

    private async Task<IReadOnlyList<V1Pod>> RunningReadyPodsAsync(string selector, int count)
    {
        List<V1Pod> pods = [];
        await EventuallyAsync(async () =>
        {
            pods = (await _client.CoreV1.ListNamespacedPodAsync("default", labelSelector: selector)).Items
                .Where(p => p.Status?.Phase == "Running" && p.Status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true)
                .ToList();
            return pods.Count == count ? "" : null;
        }, $"{count} pods with {selector} Running and Ready");
        return pods;
    }

    private static T Seed<T>()
        where T : class, IKubernetesObject =>
        (T)ManifestReader.Default.ReadFiles(SeedFiles(typeof(T) == typeof(V1Service) ? "service.yaml" : "deployment.yaml")).Single().Entity!;

    private static IEnumerable<string> SeedFiles(params string[] names)
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            var examples = Path.Combine(directory.FullName, "examples");
            if (File.Exists(Path.Combine(examples, "service.yaml")))
            {
                return names.Select(n => Path.Combine(examples, n));
            }
        }
        throw new DirectoryNotFoundException($"no examples/ directory above {TestContext.CurrentContext.TestDirectory}");
    }

    private static Task<string> EventuallyCurlAsync(NetworkNamespace from, string url) => EventuallyAsync(async () =>
    {
        var result = await from.ExecAsync(["curl", "-sS", "--max-time", "1", url], CancellationToken.None);
        return result.ExitCode == 0 ? result.StandardOutput : null;
    }, $"{url} answers from {from.Name}");

    private static async Task<string> EventuallyAsync(Func<Task<string?>> probe, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out: {what}");
            }
            await Task.Delay(100);
        }
    }
}
