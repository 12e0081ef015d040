using System.Globalization;
using k8s;
using k8s.Models;
using LbOperator.Framework.Builder;
using LbOperator.Sandbox;
using LbOperator.Sandbox.Host;
using LbOperator.Sandbox.Nodes;
using LbOperator.Tests.Sandbox.Kubectl;
using LbOperator.Tests.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static LbOperator.Tests.EndToEnd.ClientProbes;
using static LbOperator.Tests.Sandbox.Nodes.NodeTestEnvironment;

namespace LbOperator.Tests.EndToEnd;

/// <summary>
/// A highly available gateway on the node simulation with two nodes, the operator in-process and its pods run from
/// the gateway image where podman has it (keepalived from the image), else their commands on this machine: the two
/// pods land on different nodes, one holds the address, and when its node crashes (<c>node-down</c>) the other takes
/// the address over while a client probes it every 10 ms. The dark time is printed, not asserted (make
/// bench-failover measures it); that the address answers again, from the other node, is.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public sealed class HighAvailabilityEndToEndTests
{
    private const string Address = "172.18.0.60";

    private NodeNetworkOptions _options = null!;
    private SandboxNodes? _nodes;
    private RunningSandbox? _sandbox;
    private Kubernetes? _api;
    private string _directory = "";
    private KubectlRunner _kubectl = null!;

    private NetworkNamespace Client => _nodes!.Node.Topology.Client;

    [OneTimeSetUp]
    public async Task StartSandboxWithTwoNodesAndTheOperator()
    {
        RequireDataPath();
        KubectlRunner.RequireKubectl();
        _options = UniqueOptions() with { NodeCount = 2 };
        _nodes = await SandboxNodes.StartAsync(_options, NullLoggerFactory.Instance, CancellationToken.None);
        var operatorInProcess = new InProcessOperator(InProcessOperator.SandboxHostOptions(LogLevel.Warning,
            settings => settings.WithErrorBackoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2))));
        _sandbox = await SandboxServer.StartAsync(_nodes.Apply(new SandboxOptions
        {
            BookmarkInterval = TimeSpan.FromMilliseconds(300),
            AdditionalServices = [operatorInProcess],
        }));
        _api = _sandbox.CreateClient();
        _directory = Directory.CreateTempSubdirectory("lbop-ha-").FullName;
        var kubeconfig = Path.Combine(_directory, "kubeconfig");
        _sandbox.WriteKubeconfig(kubeconfig);
        _kubectl = new KubectlRunner(kubeconfig, Path.Combine(_directory, "cache"));
        await Eventually(() => _kubectl.RunAsync(["get", "subnets"]), r => r.ExitCode == 0, "the Subnet CRD to be served");
    }

    [OneTimeTearDown]
    public async Task StopEverything()
    {
        _api?.Dispose();
        if (_sandbox is not null)
        {
            await _sandbox.DisposeAsync();
        }

        if (_nodes is not null)
        {
            await _nodes.DisposeAsync();
        }

        if (_directory.Length > 0)
        {
            Directory.Delete(_directory, recursive: true);
        }

        if (_options is not null && Directory.Exists(_options.StateDirectory))
        {
            Directory.Delete(_options.StateDirectory, recursive: true);
        }
    }

    [Test]
    public async Task The_Address_Moves_To_The_Other_Node_When_The_Holders_Node_Crashes()
    {
        await _kubectl.RunOkAsync("apply", "-f", Example("nad.yaml"), "-f", Example("subnet.yaml"));
        await _kubectl.RunOkWithInputAsync($$"""
            apiVersion: v1
            kind: Service
            metadata:
              name: ha
              namespace: default
              annotations:
                ovn.kubernetes.io/attachmentprovider: lb-svc-attachment.kube-system
                lboperator.io/gateway-replicas: "2"
            spec:
              type: LoadBalancer
              loadBalancerIP: {{Address}}
              selector: {app: ha-backend}
              ports:
              - {name: http, protocol: TCP, port: 80, targetPort: 80}
            """, "apply", "-f", "-");
        var gateways = await Eventually(async () => (await _api!.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=lb-svc-ha")).Items,
            pods => pods.Count == 2 && pods.All(p => p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true), "both gateway pods to be ready");
        gateways.Select(p => p.Spec.NodeName).Should().OnlyHaveUniqueItems("the anti-affinity puts one gateway pod on each node");
        var holder = await Eventually(() => Task.FromResult(gateways.Where(HoldsAddressAsync).ToList()), h => h.Count == 1, "one gateway pod to hold the address");
        var standby = gateways.Single(p => p != holder[0]);
        await TestContext.Progress.WriteLineAsync($"holder {holder[0].Metadata.Name} on {holder[0].Spec.NodeName}, standby on {standby.Spec.NodeName}");

        // The backend lives on the standby's node, so the crash takes only the gateway away.
        await _kubectl.RunOkWithInputAsync($$$"""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: ha-backend, namespace: default}
            spec:
              replicas: 1
              selector: {matchLabels: {app: ha-backend}}
              template:
                metadata: {labels: {app: ha-backend}}
                spec:
                  nodeSelector: {kubernetes.io/hostname: {{{standby.Spec.NodeName}}}}
                  containers:
                  - {name: web, image: "qaimages:helloworld", ports: [{containerPort: 80}]}
            """, "apply", "-f", "-");
        (await CurlEventuallyAsync(Client, $"http://{Address}/")).Should().Contain("I am on  ha-backend-");

        var stop = Path.Combine(_directory, "stop-probing");
        var probing = Client.ExecAsync(["bash", "-c", ProbeScript(Address, 80, stop)], CancellationToken.None, timeout: TimeSpan.FromMinutes(2));
        await Task.Delay(1000);
        var crashed = DateTime.UtcNow;
        await _nodes!.NodeDownAsync(holder[0].Spec.NodeName, CancellationToken.None);
        await Task.Delay(3000);
        await File.WriteAllTextAsync(stop, "");
        var probes = ParseProbes((await probing).StandardOutput);

        HoldsAddressAsync(standby).Should().BeTrue("the standby on the other node holds the address now");
        probes.Should().Contain(p => p.Answered && p.At < crashed, "the address answered before the crash");
        probes.TakeLast(20).Should().OnlyContain(p => p.Answered, "the address answers again from the other node");
        (await CurlEventuallyAsync(Client, $"http://{Address}/")).Should().Contain("I am on  ha-backend-");
        var answered = probes.Where(p => p.Answered).Select(p => p.At).ToList();
        var dark = answered.Zip(answered.Skip(1), (a, b) => b - a).Max();
        await TestContext.Progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"node crash under a highly available gateway: {probes.Count} probes, {probes.Count(p => !p.Answered)} unanswered, longest gap {dark.TotalMilliseconds:F0} ms"));

        await _nodes.NodeUpAsync(holder[0].Spec.NodeName, CancellationToken.None);
        (await CurlEventuallyAsync(Client, $"http://{Address}/")).Should().Contain("I am on  ha-backend-", "the node's return takes nothing away");
    }

    private bool HoldsAddressAsync(V1Pod pod)
    {
        var network = new NetworkNamespace(_nodes!.Node.Topology.PodNamespaceName(pod.Metadata.NamespaceProperty, pod.Metadata.Name));
        var addresses = network.ExecAsync(["ip", "-4", "addr", "show", "dev", "net1"], CancellationToken.None).GetAwaiter().GetResult();
        return addresses.StandardOutput.Contains($" {Address}/", StringComparison.Ordinal);
    }

    private static string Example(string file) => Path.Combine(RepositoryRoot.Path, "examples", file);
}
