using k8s;
using LbOperator.Sandbox.Host;
using LbOperator.Sandbox;
using LbOperator.Sandbox.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using static LbOperator.Tests.Sandbox.Nodes.NodeTestEnvironment;

namespace LbOperator.Tests.Sandbox.Nodes;

/// <summary>The node simulation composed with the sandbox API server, and the sandbox command's node options.</summary>
[Category("DataPath")]
[NonParallelizable]
public sealed class SandboxNodesTests
{
    private NodeNetworkOptions _options = null!;

    [SetUp]
    public void Require()
    {
        RequireDataPath();
        _options = UniqueOptions();
    }

    [TearDown]
    public void RemoveStateDirectory()
    {
        if (_options is not null && Directory.Exists(_options.StateDirectory))
        {
            Directory.Delete(_options.StateDirectory, recursive: true);
        }
    }

    [Test]
    public async Task ClusterIp_Of_A_Service_Created_Through_The_Api_Answers_From_A_Pod()
    {
        await using var nodes = await SandboxNodes.StartAsync(_options, NullLoggerFactory.Instance, CancellationToken.None);
        await using var sandbox = await SandboxServer.StartAsync(nodes.Apply(new SandboxOptions()));
        using var client = sandbox.CreateClient();
        var backend = await nodes.Node.StartPodAsync(BackendPod("web-0"), CancellationToken.None);
        var caller = new NetworkNamespace((await nodes.Node.StartPodAsync(SleeperPod("caller"), CancellationToken.None)).NetworkNamespace);

        // A Service without a selector: its Endpoints are written by hand, as for an external backend.
        var service = Service("web", "10.96.0.50", 80, 80);
        await client.CoreV1.CreateNamespacedServiceAsync(service, "default");
        await client.CoreV1.CreateNamespacedEndpointsAsync(Endpoints("web", 80, backend.PodIps[0]), "default");

        var page = await EventuallyAsync(async () =>
        {
            var result = await caller.ExecAsync(["curl", "-sS", "--max-time", "1", "http://10.96.0.50/"], CancellationToken.None);
            return result.ExitCode == 0 ? result.StandardOutput : null;
        }, "the ClusterIP answers once kube-proxy saw the Service and its Endpoints");
        page.Should().Contain("I am on  web-0");

        await client.CoreV1.DeleteNamespacedEndpointsAsync("web", "default");
        await EventuallyAsync(async () =>
        {
            var result = await caller.ExecAsync(["curl", "-sS", "--max-time", "1", "http://10.96.0.50/"], CancellationToken.None);
            return result.ExitCode != 0 ? "gone" : null;
        }, "the ClusterIP stops answering once its Endpoints are deleted");
    }

    [Test]
    public async Task Sandbox_Command_With_Nodes_Prints_What_It_Built_Runs_Exec_Client_And_Cleans_Up()
    {
        var kubeconfig = Path.Combine(_options.StateDirectory, "sandbox.kubeconfig");
        Directory.CreateDirectory(_options.StateDirectory);
        using var stdoutText = new StringWriter();
        using var stderrText = new StringWriter();
        using var stdout = TextWriter.Synchronized(stdoutText);
        using var stderr = TextWriter.Synchronized(stderrText);
        // SyncTextWriter locks itself around every write: reading under the same lock sees whole writes.
        string Read(TextWriter writer, StringWriter text)
        {
            lock (writer)
            {
                return text.ToString();
            }
        }
        using var stop = new CancellationTokenSource();
        var run = SandboxCli.InvokeAsync(
            ["--port", "0", "--kubeconfig", kubeconfig, "--nodes", "--nodes-prefix", _options.Prefix], stdout, stderr, stop.Token);
        try
        {
            await EventuallyAsync(() => Task.FromResult(Read(stdout, stdoutText).Contains("ip netns exec", StringComparison.Ordinal) ? "" : null),
                "the sandbox reports its nodes");
            Read(stdout, stdoutText).Should().Contain($"{_options.ClientNamespace} (172.18.255.254)");

            using var execOut = new StringWriter();
            using var execErr = new StringWriter();
            var code = await SandboxCli.InvokeAsync(
                ["exec-client", "--nodes-prefix", _options.Prefix, "--", "ip", "-4", "-o", "addr", "show", "eth0"], execOut, execErr, CancellationToken.None);
            code.Should().Be(0, execErr.ToString());
            execOut.ToString().Should().Contain("172.18.255.254/16");
        }
        finally
        {
            await stop.CancelAsync();
            (await run).Should().Be(0, Read(stderr, stderrText));
        }
        (await NetworkNamespace.ListAsync(CancellationToken.None)).Should().NotContain(n => n.StartsWith(_options.Prefix, StringComparison.Ordinal));
    }

    [Test]
    public async Task Killed_Sandbox_Leaves_Pods_Behind_That_The_Next_Start_Removes()
    {
        var options = _options with { StateDirectory = NodeNetworkOptions.DefaultStateDirectory };
        try
        {
            await KillSandboxWithARunningPodThenStartAgainAsync(options);
        }
        finally
        {
            // Whatever happened above, nothing of this prefix stays on the machine.
            await using var cleanup = CreateNode(options);
            await cleanup.StopAsync(CancellationToken.None);
        }
    }

    private async Task KillSandboxWithARunningPodThenStartAgainAsync(NodeNetworkOptions options)
    {
        var kubeconfig = Path.Combine(_options.StateDirectory, "sandbox.kubeconfig");
        Directory.CreateDirectory(_options.StateDirectory);
        IReadOnlyList<string> command = [.. SandboxHostCommand, "--port", "0", "--kubeconfig", kubeconfig, "--nodes", "--nodes-prefix", options.Prefix];
        using var sandbox = System.Diagnostics.Process.Start(CommandRunner.CreateStartInfo(command, redirectInput: false))!;
        IReadOnlyList<int> orphans;
        try
        {
            string? server = null;
            while (await sandbox.StandardOutput.ReadLineAsync() is { } line && !line.Contains("ip netns exec", StringComparison.Ordinal))
            {
                // "sandbox ready at http://127.0.0.1:PORT (kubeconfig: ...)"
                if (line.StartsWith("sandbox ready at ", StringComparison.Ordinal))
                {
                    server = line.Split(' ')[3];
                }
            }
            server.Should().NotBeNull("the sandbox prints its address");
            using var client = new Kubernetes(new KubernetesClientConfiguration { Host = server });
            await client.CoreV1.CreateNamespacedPodAsync(BackendPod("web-0"), "default");
            var podNamespace = new NetworkNamespace(new NodeTopology(options, NullLogger.Instance).PodNamespaceName("default", "web-0"));
            orphans = [];
            await EventuallyAsync(async () =>
            {
                var pod = await client.CoreV1.ReadNamespacedPodAsync("web-0", "default");
                orphans = await podNamespace.ProcessIdsAsync(CancellationToken.None);
                return pod.Status?.Phase == "Running" && orphans.Count > 0 ? "" : null;
            }, "the pod runs with its responder");
        }
        finally
        {
            sandbox.Kill();
            await sandbox.WaitForExitAsync();
        }
        (await NetworkNamespace.ListAsync(CancellationToken.None)).Should().Contain(options.ClientNamespace, "a killed sandbox cannot clean up");

        await using var next = CreateNode(options);
        await next.StartAsync(CancellationToken.None);
        var left = (await NetworkNamespace.ListAsync(CancellationToken.None)).Where(n => n.StartsWith(options.Prefix, StringComparison.Ordinal)).ToList();
        await next.StopAsync(CancellationToken.None);

        left.Should().BeEquivalentTo([options.SwitchNamespace, options.NodeNamespace, options.RouterNamespace, options.ClientNamespace], "only the new run's namespaces exist");
        orphans.Should().OnlyContain(id => !Directory.Exists($"/proc/{id}"), "the crashed run's responder was killed");
        File.Exists(options.StateFile).Should().BeFalse();
    }

    [Test]
    public async Task Exec_Client_Without_A_Running_Simulation_Says_What_To_Start()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await SandboxCli.InvokeAsync(["exec-client", "--nodes-prefix", _options.Prefix, "--", "true"], stdout, stderr, CancellationToken.None);

        code.Should().NotBe(0);
        stderr.ToString().Should().Be($"error: network namespace {_options.ClientNamespace} does not exist: start the sandbox with --nodes first\n");
    }

    private static async Task<string> EventuallyAsync(Func<Task<string?>> probe, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
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
