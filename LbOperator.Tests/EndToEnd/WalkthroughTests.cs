using System.Text.RegularExpressions;
using LbOperator.Gateway;
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
/// What <c>make demo</c> does, asserted step by step: one sandbox with the operator in-process and the node
/// simulation, driven with the real kubectl; the seed's manifests from examples/ unchanged; traffic from the client
/// namespace on the simulated physical network. Further tests share the seed's Subnet and backends: a dynamic
/// address, a UDP port, port ≠ targetPort, a deleted gateway pod and a deleted Service.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public sealed partial class WalkthroughTests
{
    private const string SeedAddress = "172.18.0.18";

    private NodeNetworkOptions _options = null!;
    private SandboxNodes? _nodes;
    private RunningSandbox? _sandbox;
    private string _directory = "";
    private KubectlRunner _kubectl = null!;

    private NetworkNamespace Client => _nodes!.Node.Topology.Client;

    [OneTimeSetUp]
    public async Task StartSandboxWithOperatorAndNodes()
    {
        RequireDataPath();
        KubectlRunner.RequireKubectl();
        _options = UniqueOptions();
        _nodes = await SandboxNodes.StartAsync(_options, NullLoggerFactory.Instance, CancellationToken.None);
        var operatorInProcess = new InProcessOperator(InProcessOperator.SandboxHostOptions(LogLevel.Warning,
            settings => settings.WithErrorBackoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2))));
        _sandbox = await SandboxServer.StartAsync(_nodes.Apply(new SandboxOptions
        {
            BookmarkInterval = TimeSpan.FromMilliseconds(300),
            AdditionalServices = [operatorInProcess],
        }));
        _directory = Directory.CreateTempSubdirectory("lbop-e2e-").FullName;
        var kubeconfig = Path.Combine(_directory, "kubeconfig");
        _sandbox.WriteKubeconfig(kubeconfig);
        _kubectl = new KubectlRunner(kubeconfig, Path.Combine(_directory, "cache"));
        // The operator installs the Subnet CRD as it starts, as in make demo.
        await Eventually(() => _kubectl.RunAsync(["get", "subnets"]), r => r.ExitCode == 0, "the Subnet CRD to be served");
    }

    [OneTimeTearDown]
    public async Task StopEverything()
    {
        if (_sandbox is not null)
        {
            await _sandbox.DisposeAsync();
        }
        if (_nodes is not null)
        {
            await _nodes.DisposeAsync();
            (await NetworkNamespace.ListAsync(CancellationToken.None)).Should().NotContain(n => n.StartsWith(_options.Prefix, StringComparison.Ordinal),
                "stopping the simulation removes every namespace of its prefix");
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
    [Order(1)]
    public async Task Seed_Walkthrough_Gives_172_18_0_18_And_A_Client_Reaches_A_Backend_Through_The_Gateway()
    {
        var applied = await _kubectl.RunOkAsync("apply", "-f", Example("nad.yaml"), "-f", Example("subnet.yaml"), "-f", Example("service.yaml"), "-f", Example("deployment.yaml"));
        applied.Should().Contain("networkattachmentdefinition.k8s.cni.cncf.io/lb-svc-attachment created")
            .And.Contain("subnet.kubeovn.io/attach-subnet created")
            .And.Contain("service/test-service created")
            .And.Contain("deployment.apps/dynamic created");

        await WaitForExternalIpAsync("test-service", SeedAddress);
        await WaitForDeploymentAvailableAsync("lb-svc-test-service");
        await WaitForDeploymentAvailableAsync("dynamic");

        var services = await _kubectl.RunOkAsync("get", "svc");
        services.Should().MatchRegex(@"(?m)^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$")
            .And.MatchRegex(@"(?m)^test-service\s+LoadBalancer\s+10\.\d+\.\d+\.\d+\s+172\.18\.0\.18\s+80:3\d{4}/TCP\s+\S+$");
        var pods = await _kubectl.RunOkAsync("get", "pod");
        pods.Should().MatchRegex(@"(?m)^lb-svc-test-service-[a-z0-9]+-[a-z0-9]{5}\s+1/1\s+Running\s+0\s+\S+$")
            .And.MatchRegex(@"(?m)^dynamic-[a-z0-9]+-[a-z0-9]{5}\s+1/1\s+Running\s+0\s+\S+$");
        Regex.Matches(pods, @"(?m)^dynamic-").Should().HaveCount(2, "the seed's Deployment has 2 replicas");
        var subnets = await _kubectl.RunOkAsync("get", "subnet", "attach-subnet", "-o", "jsonpath={.status.v4usingIPs} {.status.v4availableIPs}");
        subnets.Should().Be("1 65523", "172.18.0.0/16 has 65534 usable addresses, 10 excluded, 1 in use");

        var page = await CurlEventuallyAsync(Client, $"http://{SeedAddress}:80/");
        page.Should().Contain("<title>Hello World!</title>").And.MatchRegex(@"I am on  dynamic-[a-z0-9]+-[a-z0-9]{5}</h3>");
        var backend = HelloPodName().Match(page).Groups[1].Value;
        pods.Should().Contain(backend, "the page names one of the seed Deployment's pods");
    }

    [Test]
    [Order(2)]
    public async Task Service_Without_LoadBalancerIp_Is_Reachable_At_The_Address_It_Was_Given()
    {
        await EnsureSeedNetworkAsync();
        await ApplyAsync(LoadBalancerService("dynamic-address", address: null, ports: "  - {name: http, protocol: TCP, port: 80, targetPort: 80}"));

        var address = await Eventually(
            () => _kubectl.RunAsync(["get", "svc", "dynamic-address", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}"]),
            r => r.ExitCode == 0 && r.StdOut.Length > 0, "an address for dynamic-address");

        address.StdOut.Should().Be("172.18.0.11", "the lowest address of attach-subnet after its excludeIps, the other tests name theirs");
        (await CurlEventuallyAsync(Client, $"http://{address.StdOut}/")).Should().Contain("I am on  dynamic-");
    }

    [Test]
    public async Task Gateway_Pod_Runs_From_The_Gateway_Image_And_Describe_Pod_Says_Which_Containers_Did()
    {
        await LocalImages.RequireAsync(GatewaySettings.DefaultImage);
        await EnsureSeedNetworkAsync();
        await ApplyAsync(LoadBalancerService("from-image", "172.18.0.24", "  - {name: http, protocol: TCP, port: 80, targetPort: 80}"));
        await WaitForExternalIpAsync("from-image", "172.18.0.24");
        await WaitForDeploymentAvailableAsync("lb-svc-from-image");
        (await CurlEventuallyAsync(Client, "http://172.18.0.24/")).Should().Contain("I am on  dynamic-");

        var gateway = await _kubectl.RunOkAsync("get", "pods", "-l", "app=lb-svc-from-image", "-o", "jsonpath={.items[0].metadata.name}");
        var described = await _kubectl.RunOkAsync("describe", "pod", gateway);
        described.Should().Contain($"Container image \"{GatewaySettings.DefaultImage}\" already present on machine")
            .And.MatchRegex(@"Started container lb-svc-init \(podman, image ID [0-9a-f]{12}, in the pod's network namespace\)")
            .And.MatchRegex(@"Started container lb-svc \(podman, image ID [0-9a-f]{12}, in the pod's network namespace\)")
            .And.NotContain("StandIn");
        var backend = await _kubectl.RunOkAsync("get", "pods", "-l", "app=dynamic", "-o", "jsonpath={.items[0].metadata.name}");
        (await _kubectl.RunOkAsync("describe", "pod", backend)).Should().MatchRegex(
            @"StandIn\s+\S+\s+kubelet\s+Container qaimages: image ""qaimages:helloworld"" is not in podman's local storage and the spec has no command: the built-in hello-world responder answers on TCP 80");
    }

    [Test]
    public async Task Udp_Port_Answers_Through_The_Gateway()
    {
        await EnsureSeedNetworkAsync();
        await ApplyAsync($"""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {"{"}name: udp-echo, namespace: default{"}"}
            spec:
              replicas: 1
              selector: {"{"}matchLabels: {"{"}app: udp-echo{"}}"}
              template:
                metadata: {"{"}labels: {"{"}app: udp-echo{"}}"}
                spec:
                  containers:
                  - name: echo
                    image: qaimages:helloworld
                    ports: [{"{"}containerPort: 5353, protocol: UDP{"}"}]
            ---
            {LoadBalancerService("udp-echo", "172.18.0.20", "  - {name: dns, protocol: UDP, port: 53, targetPort: 5353}")}
            """);
        await WaitForExternalIpAsync("udp-echo", "172.18.0.20");
        await WaitForDeploymentAvailableAsync("udp-echo");
        await WaitForDeploymentAvailableAsync("lb-svc-udp-echo");

        var answer = await Eventually(() => Client.ExecAsync(["timeout", "5", "bash", "-c",
                // bash's /dev/udp gives a connected socket; dd reads exactly one datagram.
                "exec 3<>/dev/udp/172.18.0.20/53 && printf ping >&3 && dd bs=65536 count=1 <&3 2>/dev/null"], CancellationToken.None, timeout: TimeSpan.FromSeconds(10)),
            r => r.ExitCode == 0 && r.StandardOutput.Length > 0, "a UDP answer from 172.18.0.20:53");

        answer.StandardOutput.Should().MatchRegex("^I am on  udp-echo-[a-z0-9]+-[a-z0-9]{5}: ping$");
    }

    [Test]
    public async Task Port_Differing_From_TargetPort_Reaches_The_Backend_On_The_TargetPort()
    {
        await EnsureSeedNetworkAsync();
        await ApplyAsync(LoadBalancerService("other-port", "172.18.0.21", "  - {name: http, protocol: TCP, port: 8080, targetPort: 80}"));
        await WaitForExternalIpAsync("other-port", "172.18.0.21");
        await WaitForDeploymentAvailableAsync("lb-svc-other-port");

        (await CurlEventuallyAsync(Client, "http://172.18.0.21:8080/x")).Should().Contain("I am on  dynamic-").And.Contain("RequestURI='/x'");
        var refused = await Client.ExecAsync(["curl", "-sS", "--max-time", "3", "http://172.18.0.21:80/"], CancellationToken.None, timeout: TimeSpan.FromSeconds(10));
        refused.ExitCode.Should().NotBe(0, "only the Service's port 8080 is forwarded, not its targetPort 80");
    }

    [Test]
    public async Task Deleted_Gateway_Pod_Is_Replaced_And_Traffic_Comes_Back()
    {
        await EnsureSeedNetworkAsync();
        await ApplyAsync(LoadBalancerService("gateway-restart", "172.18.0.22", "  - {name: http, protocol: TCP, port: 80, targetPort: 80}"));
        await WaitForExternalIpAsync("gateway-restart", "172.18.0.22");
        await WaitForDeploymentAvailableAsync("lb-svc-gateway-restart");
        await CurlEventuallyAsync(Client, "http://172.18.0.22/");
        var before = await _kubectl.RunOkAsync("get", "pods", "-l", "app=lb-svc-gateway-restart", "-o", "jsonpath={.items[*].metadata.name}");

        await _kubectl.RunOkAsync("delete", "pod", before, "--wait=true");

        await Eventually(() => _kubectl.RunAsync(["get", "pods", "-l", "app=lb-svc-gateway-restart", "-o",
                """jsonpath={range .items[*]}{.metadata.name} {.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}"""]),
            r => r.ExitCode == 0 && r.StdOut.Trim().Split('\n') is [var line] && !line.StartsWith(before + " ", StringComparison.Ordinal) && line.EndsWith(" True", StringComparison.Ordinal),
            "one new Ready gateway pod in place of " + before);
        (await CurlEventuallyAsync(Client, "http://172.18.0.22/")).Should().Contain("I am on  dynamic-");
    }

    [Test]
    public async Task Deleted_Service_Stops_Answering_And_Gives_Its_Address_Back_To_The_Subnet()
    {
        await EnsureSeedNetworkAsync();
        var counts = await SubnetCountsAsync();
        await ApplyAsync(LoadBalancerService("short-lived", "172.18.0.23", "  - {name: http, protocol: TCP, port: 80, targetPort: 80}"));
        await WaitForExternalIpAsync("short-lived", "172.18.0.23");
        await WaitForDeploymentAvailableAsync("lb-svc-short-lived");
        await CurlEventuallyAsync(Client, "http://172.18.0.23/");
        (await SubnetCountsAsync()).Should().Be((counts.Using + 1, counts.Available - 1), "the Service holds one address of attach-subnet");

        await _kubectl.RunOkAsync("delete", "svc", "short-lived", "--wait=true");

        await Eventually(SubnetCountsAsync, c => c == counts, "attach-subnet's counts to go back to " + counts);
        await Eventually(() => _kubectl.RunAsync(["get", "deployment", "lb-svc-short-lived"]), r => r.ExitCode != 0, "the gateway Deployment to be gone");
        await Eventually(() => Client.ExecAsync(["curl", "-sS", "--max-time", "3", "http://172.18.0.23/"], CancellationToken.None, timeout: TimeSpan.FromSeconds(10)),
            r => r.ExitCode is 7 or 28, "172.18.0.23 to stop accepting connections (curl: could not connect or timed out)");
    }

    /// <summary>The seed's NetworkAttachmentDefinition and Subnet, applied again (unchanged when they exist) so any test can run alone.</summary>
    private Task<string> EnsureSeedNetworkAsync() =>
        _kubectl.RunOkAsync("apply", "-f", Example("nad.yaml"), "-f", Example("subnet.yaml"), "-f", Example("deployment.yaml"));

    private Task<string> ApplyAsync(string yaml) => _kubectl.RunOkWithInputAsync(yaml, "apply", "-f", "-");

    /// <summary>A LoadBalancer Service on the seed's attachment and Subnet, selecting pods labelled app=<paramref name="name"/> (app=dynamic for the seed's backends).</summary>
    private static string LoadBalancerService(string name, string? address, string ports) => $"""
        apiVersion: v1
        kind: Service
        metadata:
          name: {name}
          namespace: default
          annotations:
            ovn.kubernetes.io/attachmentprovider: lb-svc-attachment.kube-system
            lb-svc-attachment.kube-system.kubernetes.io/logical_switch: attach-subnet
        spec:
          type: LoadBalancer
          {(address is null ? "" : "loadBalancerIP: " + address)}
          selector: {"{"}app: {(name == "udp-echo" ? "udp-echo" : "dynamic")}{"}"}
          ports:
        {ports}
        """;

    private Task<string> WaitForExternalIpAsync(string service, string address) =>
        _kubectl.RunOkAsync("wait", "svc/" + service, $"--for=jsonpath={{.status.loadBalancer.ingress[0].ip}}={address}", "--timeout=60s");

    private async Task WaitForDeploymentAvailableAsync(string name)
    {
        await Eventually(() => _kubectl.RunAsync(["get", "deployment", name]), r => r.ExitCode == 0, $"Deployment {name} to exist");
        await _kubectl.RunOkAsync("wait", "deployment/" + name, "--for=condition=Available", "--timeout=60s");
    }

    private async Task<(decimal Using, decimal Available)> SubnetCountsAsync()
    {
        var text = await _kubectl.RunOkAsync("get", "subnet", "attach-subnet", "-o", "jsonpath={.status.v4usingIPs} {.status.v4availableIPs}");
        var parts = text.Split(' ');
        return (decimal.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), decimal.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string Example(string file) => Path.Combine(RepositoryRoot.Path, "examples", file);

    [GeneratedRegex("I am on  ([a-z0-9-]+)</h3>")]
    private static partial Regex HelloPodName();
}
