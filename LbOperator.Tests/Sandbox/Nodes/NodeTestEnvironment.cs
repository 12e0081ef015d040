using LbOperator.Sandbox.Host;
using LbOperator.Tests.Testing;
using System.Net;
using k8s.Models;
using LbOperator.Sandbox.Nodes;
using Microsoft.Extensions.Logging.Abstractions;

namespace LbOperator.Tests.Sandbox.Nodes;

/// <summary>
/// Shared set-up of the data-path tests: checks the machine can run them (failing under CI=true, ignoring
/// elsewhere), and gives each test its own namespace prefix and state directory so runs never meet.
/// </summary>
internal static class NodeTestEnvironment
{
    public static void RequireDataPath()
    {
        var missing = NodeRequirements.Missing();
        if (missing.Count == 0)
        {
            return;
        }
        var reason = $"needs {string.Join(" and ", missing)}";
        MachineRequirement.Unmet(reason);
    }

    /// <summary>Options with a prefix unique to this test run (<c>lbopt&lt;hex&gt;-</c>) and a private state directory.</summary>
    /// <summary>The sandbox's executable as built beside the tests.</summary>
    public static IReadOnlyList<string> SandboxHostCommand { get; } = SelfCommand.ForAssembly(typeof(SandboxCli).Assembly.Location);

    public static NodeNetworkOptions UniqueOptions(NodeNetworkOptions? template = null)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        return (template ?? NodeNetworkOptions.Default) with
        {
            Prefix = $"lbopt{id}-",
            StateDirectory = Path.Combine(Path.GetTempPath(), $"lbop-node-tests-{id}"),
            // The test host is not the sandbox's executable: name it, so backends run its hello-server.
            HelperCommand = SandboxHostCommand,
        };
    }

    public static SimulatedNode CreateNode(NodeNetworkOptions options) => new(options, NullLogger.Instance);

    public static V1Pod Pod(string name, IEnumerable<V1Container> containers, IEnumerable<V1Container>? initContainers = null, string? networks = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "default",
            Annotations = networks is null ? null : new Dictionary<string, string> { [NetworkSelection.Annotation] = networks },
        },
        Spec = new V1PodSpec { Containers = containers.ToList(), InitContainers = initContainers?.ToList() },
    };

    /// <summary>A pod whose only container is an image without a command: the node serves it with the hello-world responder.</summary>
    public static V1Pod BackendPod(string name, int? port = null) => Pod(name,
    [
        new V1Container
        {
            Name = "web",
            Image = "qaimages:helloworld",
            Ports = port is null ? null : [new V1ContainerPort { ContainerPort = port.Value }],
        },
    ]);

    /// <summary>A pod that just sleeps, to run commands from.</summary>
    public static V1Pod SleeperPod(string name, string? networks = null, IEnumerable<V1Container>? initContainers = null) => Pod(name,
        [new V1Container { Name = "main", Image = "busybox", Command = ["sleep", "3600"] }], initContainers, networks);

    public static V1Service Service(string name, string clusterIp, int port, int targetPort, params string[] moreClusterIps) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1ServiceSpec
        {
            ClusterIP = clusterIp,
            ClusterIPs = [clusterIp, .. moreClusterIps],
            Ports = [new V1ServicePort { Name = "http", Port = port, TargetPort = targetPort, Protocol = "TCP" }],
        },
    };

    public static V1Endpoints Endpoints(string name, int port, params IPAddress[] addresses) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Subsets =
        [
            new V1EndpointSubset
            {
                Addresses = addresses.Select(a => new V1EndpointAddress { Ip = a.ToString() }).ToList(),
                Ports = [new Corev1EndpointPort { Name = "http", Port = port, Protocol = "TCP" }],
            },
        ],
    };

    /// <summary>curl inside a namespace; returns the body, or fails the test with curl's own message.</summary>
    public static async Task<string> CurlAsync(NetworkNamespace from, string url)
    {
        var result = await from.ExecAsync(["curl", "-sS", "--max-time", "5", url], CancellationToken.None, timeout: TimeSpan.FromSeconds(10));
        result.ExitCode.Should().Be(0, $"curl {url} from {from.Name} should succeed, stderr: {result.StandardError}");
        return result.StandardOutput;
    }
}
