using System.Globalization;
using k8s;
using k8s.Models;
using LbOperator.Entities;
using LbOperator.Framework.Builder;
using LbOperator.Framework.Client;
using LbOperator.Gateway;
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
/// The take-over from Kube-OVN's lb-svc on the node simulation: a Service served by a gateway of Kube-OVN's shape (its
/// container sets up the DNAT that kube-ovn-controller would exec into it), then LbOperator started beside Kube-OVN.
/// A client probes the address every 10 ms with a new TCP connection; the longest gap between answered probes is the
/// interruption the take-over causes, printed (docs/kube-ovn.md states it). Only addresses of the simulation's own
/// namespaces are used.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public sealed class KubeOvnTakeoverEndToEndTests
{
    private const string Address = "172.18.0.40";

    private NodeNetworkOptions _options = null!;
    private SandboxNodes? _nodes;
    private RunningSandbox? _sandbox;
    private string _directory = "";
    private KubectlRunner _kubectl = null!;
    private KubernetesClient _client = null!;
    private Kubernetes? _api;

    [OneTimeSetUp]
    public async Task StartSandboxWithNodesAndKubeOvnsCrds()
    {
        RequireDataPath();
        KubectlRunner.RequireKubectl();
        _options = UniqueOptions();
        _nodes = await SandboxNodes.StartAsync(_options, NullLoggerFactory.Instance, CancellationToken.None);
        _sandbox = await SandboxServer.StartAsync(_nodes.Apply(new SandboxOptions { BookmarkInterval = TimeSpan.FromMilliseconds(300) }));
        _api = _sandbox.CreateClient();
        _client = new KubernetesClient(_api, _sandbox.ClientConfiguration);
        _directory = Directory.CreateTempSubdirectory("lbop-takeover-").FullName;
        var kubeconfig = Path.Combine(_directory, "kubeconfig");
        _sandbox.WriteKubeconfig(kubeconfig);
        _kubectl = new KubectlRunner(kubeconfig, Path.Combine(_directory, "cache"));
        await _kubectl.RunOkAsync("apply", "-f", KubeOvnFixture.CrdFile);
        await _kubectl.RunOkAsync("apply", "-k", Path.Combine(RepositoryRoot.Path, "config", "kube-ovn", "crd"));
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
    public async Task A_Service_Kube_Ovns_Lb_Svc_Serves_Keeps_Its_Address_Through_The_Take_Over_With_One_Short_Interruption()
    {
        await using var kubeOvn = KubeOvnVipStandIn.Start(_client);
        foreach (var file in new[] { "nad.yaml", "subnet.yaml", "deployment.yaml" })
        {
            await _kubectl.RunOkAsync("apply", "-f", Path.Combine(RepositoryRoot.Path, "examples", file));
        }

        await _kubectl.RunOkWithInputAsync($$"""
            apiVersion: v1
            kind: Service
            metadata:
              name: kovn
              namespace: default
              annotations:
                ovn.kubernetes.io/attachmentprovider: lb-svc-attachment.kube-system
                lb-svc-attachment.kube-system.kubernetes.io/logical_switch: attach-subnet
            spec:
              type: LoadBalancer
              loadBalancerIP: {{Address}}
              selector: {app: dynamic}
              ports:
              - {name: http, protocol: TCP, port: 80, targetPort: 80}
            """, "apply", "-f", "-");
        var clusterIp = (await _client.GetAsync<V1Service>("kovn", "default"))!.Spec.ClusterIP;
        await ServeAsKubeOvnAsync(clusterIp);
        (await CurlEventuallyAsync(Client, $"http://{Address}/")).Should().Contain("I am on  dynamic-", "Kube-OVN's gateway serves the address before the take-over");

        var stop = Path.Combine(_directory, "stop-probing");
        var probing = Client.ExecAsync(["bash", "-c", ProbeScript(Address, 80, stop)], CancellationToken.None, timeout: TimeSpan.FromMinutes(3));
        await Task.Delay(1000);

        var started = DateTime.UtcNow;
        await using var operatorHost = InProcessOperator.Build(_sandbox!.ClientConfiguration, null, LogLevel.Warning,
            settings => settings.WithErrorBackoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2)));
        await InProcessOperator.InstallCrdsAsync(_sandbox, CancellationToken.None);
        await operatorHost.StartAsync();
        try
        {
            var service = await Eventually(() => _client.GetAsync<V1Service>("kovn", "default"),
                s => s?.Status?.Conditions?.Any(c => c.Type == "LoadBalancerReady" && c.Status == "True") == true, "LbOperator to serve the Service");
            var gateway = await _client.GetAsync<V1Deployment>(GatewayNames.Deployment("kovn"), "default");
            GatewayOwnership.IsGatewayOf(gateway!, service!).Should().BeTrue("LbOperator's gateway replaced Kube-OVN's");
            service!.Status.LoadBalancer.Ingress.Select(i => i.Ip).Should().Equal(Address);
            (await CurlEventuallyAsync(Client, $"http://{Address}/")).Should().Contain("I am on  dynamic-");
            await Task.Delay(1000);
        }
        finally
        {
            await File.WriteAllTextAsync(stop, "");
            await operatorHost.StopAsync();
        }

        var probes = ParseProbes((await probing).StandardOutput);
        probes.Should().Contain(p => p.Answered && p.At < started, "the address answered before the take-over");
        probes.Last().Answered.Should().BeTrue("the address answers after the take-over");
        var answered = probes.Where(p => p.Answered).Select(p => p.At).ToList();
        var dark = answered.Zip(answered.Skip(1), (a, b) => b - a).Max();
        await TestContext.Progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"take-over from Kube-OVN's lb-svc: {probes.Count} probes, {probes.Count(p => !p.Answered)} unanswered, longest gap between answers {dark.TotalMilliseconds:F0} ms"));
    }

    /// <summary>
    /// Kube-OVN's lb-svc gateway as kube-ovn-controller makes it (labels, no owner, container lb-svc, Recreate, grace 0,
    /// the pod's address annotation), the pod's IP object and the Service's ingress. Its container also sets up what
    /// kube-ovn-controller would exec into it: the address on net1 and the DNAT to the ClusterIP.
    /// </summary>
    private async Task ServeAsKubeOvnAsync(string clusterIp)
    {
        const string name = "lb-svc-kovn";
        var setup = $"ip addr add {Address}/16 dev net1 && ip link set net1 up && " +
            $"iptables -t nat -A PREROUTING -d {Address} -p tcp --dport 80 -j DNAT --to-destination {clusterIp}:80 && " +
            $"iptables -t nat -A POSTROUTING -d {clusterIp} -j MASQUERADE && exec sleep infinity";
        await _api!.AppsV1.CreateNamespacedDeploymentAsync(KubeOvnLbSvcDeployment.For(
            "kovn", "default", "kube-system/lb-svc-attachment", "lb-svc-attachment.kube-system", "attach-subnet", Address, ["bash", "-c", setup]), "default");

        var pod = (await Eventually(async () => (await _api.CoreV1.ListNamespacedPodAsync("default", labelSelector: $"app={name}")).Items,
            pods => pods.Count == 1 && pods[0].Status?.Phase == "Running", "Kube-OVN's gateway pod to run")).Single();
        await _client.CreateAsync(new V1KubeOvnIp
        {
            Metadata = new V1ObjectMeta { Name = $"{pod.Metadata.Name}.default.lb-svc-attachment.kube-system" },
            Spec = new V1KubeOvnIpSpec { Subnet = "attach-subnet", V4IpAddress = Address, PodName = pod.Metadata.Name, Namespace = "default" },
        });
        var service = (await _client.GetAsync<V1Service>("kovn", "default"))!;
        service.Status ??= new V1ServiceStatus();
        service.Status.LoadBalancer = new V1LoadBalancerStatus { Ingress = [new V1LoadBalancerIngress { Ip = Address }] };
        await _client.UpdateStatusAsync(service);
    }

    private NetworkNamespace Client => _nodes!.Node.Topology.Client;
}
