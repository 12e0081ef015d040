using k8s.Models;
using LbOperator.Cli;
using LbOperator.Gateway;
using LbOperator.Sandbox.Controllers;
using LbOperator.Sandbox.Nodes;
using LbOperator.Tests.Testing;
using static LbOperator.Tests.Sandbox.Nodes.NodeTestEnvironment;

namespace LbOperator.Tests.Sandbox.Nodes;

/// <summary>
/// The whole data path with the seed's manifests: the gateway pod is built by <see cref="GatewayBuilder"/> and run
/// on the simulated node as its spec says (init script, keeper, readiness probe); the client on the physical
/// network calls the LoadBalancer address and a backend of the seed's Deployment answers. Once with the gateway
/// image run by podman (its own ip and iptables), once with the script run on this machine.
/// </summary>
[Category("DataPath")]
[NonParallelizable]
public sealed class GatewayThroughNodeTests
{
    [TestCase(true, TestName = "Client_Curl_To_The_LoadBalancer_Address_Returns_A_Backend_Hello_Page_With_The_Gateway_Image")]
    [TestCase(false, TestName = "Client_Curl_To_The_LoadBalancer_Address_Returns_A_Backend_Hello_Page_With_The_Script_Run_On_The_Node")]
    public async Task Client_Curl_To_The_LoadBalancer_Address_Returns_A_Backend_Hello_Page(bool fromImage)
    {
        RequireDataPath();
        if (fromImage)
        {
            await LocalImages.RequireAsync(GatewaySettings.DefaultImage);
        }
        var options = UniqueOptions() with { RunImages = fromImage };
        await using var node = CreateNode(options);
        try
        {
            await node.StartAsync(CancellationToken.None);
            var manifests = ManifestReader.Default.ReadFiles(
                new[] { "subnet.yaml", "service.yaml", "deployment.yaml" }.Select(f => Path.Combine(ExamplesDirectory(), f)));
            var service = manifests.Select(m => m.Entity).OfType<V1Service>().Single();
            // What the API server would do: give the Service a ClusterIP and a uid.
            service.Metadata.Uid = "uid-test-service";
            service.Spec.ClusterIP = "10.96.0.60";
            service.Spec.ClusterIPs = ["10.96.0.60"];
            var planned = OfflinePlanner.Plan(manifests, requireClusterIp: true).Single();
            planned.Error.Should().BeNull();
            var gateway = GatewayBuilder.Build(service, planned.Plan!, planned.Addresses, new GatewaySettings());

            var backends = manifests.Select(m => m.Entity).OfType<V1Deployment>().Single();
            var endpoints = new List<System.Net.IPAddress>();
            for (var i = 0; i < backends.Spec.Replicas; i++)
            {
                var backend = await node.StartPodAsync(FromTemplate(backends, $"dynamic-7d8d7874f5-{i}"), CancellationToken.None);
                endpoints.Add(backend.PodIps[0]);
            }
            await node.SyncServicesAsync([service], [Endpoints(service.Metadata.Name, "test", 80, endpoints)], CancellationToken.None);
            var started = await node.StartPodAsync(FromTemplate(gateway, "lb-svc-test-service-6869d98dd8-cjvll"), CancellationToken.None);

            var page = await CurlAsync(node.Topology.Client, "http://172.18.0.18:80/");

            page.Should().Contain("<h1>Hello World!</h1>").And.MatchRegex("I am on  dynamic-7d8d7874f5-[01]</h3>");
            started.Attachments.Should().ContainSingle().Which.InterfaceName.Should().Be("net1");
            started.Containers.Select(c => (c.Name, c.Mode)).Should().Equal(
                ("lb-svc-init", fromImage ? ContainerRunMode.Image : ContainerRunMode.HostCommand),
                ("lb-svc", fromImage ? ContainerRunMode.Image : ContainerRunMode.HostCommand));
            var net1 = await new NetworkNamespace(started.NetworkNamespace).IpAsync(CancellationToken.None, "-4", "-o", "addr", "show", "net1");
            net1.StandardOutput.Should().Contain("inet 172.18.0.18/16", "the init container's script assigned the address");
        }
        finally
        {
            await node.StopAsync(CancellationToken.None);
            Directory.Delete(options.StateDirectory, recursive: true);
        }
    }

    private static V1Pod FromTemplate(V1Deployment deployment, string name) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = deployment.Metadata.NamespaceProperty ?? "default",
            Labels = deployment.Spec.Template.Metadata?.Labels,
            Annotations = deployment.Spec.Template.Metadata?.Annotations,
        },
        Spec = deployment.Spec.Template.Spec,
    };

    private static V1Endpoints Endpoints(string name, string portName, int port, IEnumerable<System.Net.IPAddress> addresses) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Subsets =
        [
            new V1EndpointSubset
            {
                Addresses = addresses.Select(a => new V1EndpointAddress { Ip = a.ToString() }).ToList(),
                Ports = [new Corev1EndpointPort { Name = portName, Port = port, Protocol = "TCP" }],
            },
        ],
    };

    private static string ExamplesDirectory()
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            var examples = Path.Combine(directory.FullName, "examples");
            if (File.Exists(Path.Combine(examples, "service.yaml")))
            {
                return examples;
            }
        }
        throw new DirectoryNotFoundException($"no examples/ directory above {TestContext.CurrentContext.TestDirectory}");
    }
}
