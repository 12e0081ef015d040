using System.Net;
using System.Net.Sockets;
using k8s.Models;
using LbOperator.Cli;
using LbOperator.Framework.Client;
using LbOperator.Sandbox;
using LbOperator.Sandbox.Host;
using LbOperator.Tests.Framework.Runtime;

namespace LbOperator.Tests.Cli;

[Category("Sandbox")]
public sealed class RunCommandTests
{
    [Test]
    public async Task Run_Leads_Serves_Health_And_Stops_Gracefully_When_Cancelled()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions());
        // As `make install` does on a cluster: the operator watches Subnets, so it is ready only once their CRD is served.
        await InProcessOperator.InstallCrdsAsync(sandbox, CancellationToken.None);
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"lbop-run-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(kubeconfig, Kubeconfig(sandbox.BaseAddress));
        try
        {
            var port = FreeLoopbackPort();
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            using var stop = new CancellationTokenSource();
            var run = LbOperatorCli.InvokeAsync(
                ["run", "--kubeconfig", kubeconfig, "--health-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)],
                stdout, stderr, stop.Token);

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await Eventually.HoldsAsync(
                async () =>
                {
                    if (run.IsCompleted)
                    {
                        Assert.Fail($"run ended early with {await run}: {stderr}");
                    }

                    try
                    {
                        return (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode == HttpStatusCode.OK;
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                },
                "the operator answers /readyz");
            using var kubernetes = sandbox.CreateClient();
            var client = new KubernetesClient(kubernetes, sandbox.ClientConfiguration);
            await Eventually.HoldsAsync(
                async () => (await client.GetAsync<V1Lease>("lb-operator-leader", "default"))?.Spec?.HolderIdentity is { Length: > 0 },
                "the operator holds its lease in the kubeconfig context's namespace");

            await stop.CancelAsync();
            (await run.WaitAsync(TimeSpan.FromSeconds(15))).Should().Be(0, stderr.ToString());
            (await client.GetAsync<V1Lease>("lb-operator-leader", "default"))!.Spec.HolderIdentity.Should().BeEmpty("a graceful stop gives the lease up");
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    [Test]
    public async Task Run_Names_A_Missing_Kubeconfig()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await LbOperatorCli.InvokeAsync(["run", "--kubeconfig", "/nonexistent/kubeconfig"], stdout, stderr, CancellationToken.None);

        code.Should().NotBe(0);
        stderr.ToString().Should().Be("error: kubeconfig '/nonexistent/kubeconfig' does not exist." + Environment.NewLine);
    }

    [TestCase("--gateway-replicas", "9", "error: --gateway-replicas 9: give a whole number from 1 to 5")]
    [TestCase("--gateway-vrrp-router-ids", "0-3", "error: --gateway-vrrp-router-ids: \"0-3\" is not a router id (1 to 255) or a range of them (low-high)")]
    public async Task Run_Refuses_Bad_Gateway_Redundancy_Settings_Before_Starting(string flag, string value, string message)
    {
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"lbop-run-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(kubeconfig, Kubeconfig(new Uri("http://127.0.0.1:9")));
        try
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var code = await LbOperatorCli.InvokeAsync(["run", "--kubeconfig", kubeconfig, flag, value], stdout, stderr, CancellationToken.None);

            code.Should().NotBe(0);
            stderr.ToString().Should().Be(message + Environment.NewLine);
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    /// <summary>A kubeconfig for the sandbox whose user has a token (the server ignores it; the client needs some credential).</summary>
    private static string Kubeconfig(Uri server) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: sandbox
          cluster:
            server: {server.ToString().TrimEnd('/')}
        contexts:
        - name: sandbox
          context:
            cluster: sandbox
            user: sandbox
            namespace: default
        current-context: sandbox
        users:
        - name: sandbox
          user:
            token: sandbox
        """;

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
