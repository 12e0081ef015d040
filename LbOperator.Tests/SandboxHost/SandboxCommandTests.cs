using System.Text.RegularExpressions;
using k8s;
using LbOperator.Sandbox.Host;

namespace LbOperator.Tests.SandboxHost;

[Category("Sandbox")]
public sealed class SandboxCommandTests
{
    [Test]
    public async Task Sandbox_Prints_Ready_Writes_A_Kubeconfig_And_Stops_When_Cancelled()
    {
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"sandbox-{Guid.NewGuid():N}.kubeconfig");
        using var output = new StringWriter();
        var stdout = TextWriter.Synchronized(output);
        using var stderr = new StringWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var run = SandboxCli.InvokeAsync(["--port", "0", "--kubeconfig", kubeconfig], stdout, stderr, stop.Token);
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!output.ToString().Contains("ready", StringComparison.Ordinal) && DateTime.UtcNow < deadline && !run.IsCompleted)
            {
                await Task.Delay(20);
            }

            var ready = Regex.Match(output.ToString(), @"sandbox ready at (http://127\.0\.0\.1:\d+) \(kubeconfig: (.+)\)");
            ready.Success.Should().BeTrue($"stdout was: {output} / stderr: {stderr}");
            ready.Groups[2].Value.Should().Be(kubeconfig);

            var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig);
            config.Host.TrimEnd('/').Should().Be(ready.Groups[1].Value);
            using var client = new Kubernetes(config);
            (await client.CoreV1.ListNamespaceAsync()).Items.Should().Contain(n => n.Metadata.Name == "default");
        }
        finally
        {
            await stop.CancelAsync();
            (await run).Should().Be(0);
            File.Delete(kubeconfig);
        }

        output.ToString().Should().Contain("sandbox stopped");
    }

    [Test]
    public async Task Sandbox_Refuses_A_Non_Loopback_Host()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await SandboxCli.InvokeAsync(["--host", "0.0.0.0", "--port", "0"], stdout, stderr, CancellationToken.None);
        code.Should().NotBe(0);
        stderr.ToString().Should().Contain("--host 0.0.0.0").And.Contain("loopback");
    }
}
