using System.Text.Json.Nodes;
using LbOperator.Release;
using LbOperator.Sandbox;
using LbOperator.Tests.Sandbox.Kubectl;
using LbOperator.Tests.Testing;
using NodeCommands = LbOperator.Sandbox.Nodes.CommandRunner;

namespace LbOperator.Tests.Images;

/// <summary>
/// The operator image as it ships (<c>make images</c> builds it from images/operator/Dockerfile.prebuilt) runs
/// under podman on the host network against the sandbox, read-only, as user 1654 without capabilities, the way
/// the generated Deployment runs it, and serves the seed walkthrough: the Service gets its EXTERNAL-IP from it.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public sealed class OperatorImageTests
{
    private const string KubeconfigInContainer = "/etc/lboperator/kubeconfig";

    [Test]
    public async Task Prints_This_Version_And_Runs_As_Configured()
    {
        var (podman, _) = await LocalImages.RequireAsync(ReleaseImages.Operator);

        var version = await NodeCommands.RunAsync([podman.Program, "run", "--rm", "--network", "none", "--read-only", ReleaseImages.Operator, "version"],
            CancellationToken.None, timeout: TimeSpan.FromSeconds(60));
        var config = await NodeCommands.RunAsync(
            [podman.Program, "image", "inspect", "--format", "{{.Config.User}} {{json .Config.Entrypoint}} {{json .Config.Cmd}}", ReleaseImages.Operator], CancellationToken.None);

        version.ExitCode.Should().Be(0, version.StandardError);
        version.StandardOutput.Should().StartWith($"LbOperator {ReleaseImages.Version}");
        config.StandardOutput.Trim().Should().Be("""1654:1654 ["/app/LbOperator"] ["run"]""");
    }

    [Test]
    public async Task Containerised_Operator_Gives_The_Seed_Service_Its_External_Ip()
    {
        KubectlRunner.RequireKubectl();
        var (podman, _) = await LocalImages.RequireAsync(ReleaseImages.Operator);
        var folder = Directory.CreateTempSubdirectory("lbop-operator-image-").FullName;
        var container = "lbop-operator-test-" + Guid.NewGuid().ToString("N")[..8];
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions());
        try
        {
            var kubeconfig = Path.Combine(folder, "kubeconfig");
            sandbox.WriteKubeconfig(kubeconfig);
            // The container's user 1654 reads it through a read-only bind mount (podman runs on Linux only).
            if (OperatingSystem.IsLinux())
            {
                File.SetUnixFileMode(kubeconfig, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }
            var kubectl = new KubectlRunner(kubeconfig, Path.Combine(folder, "cache"));
            await kubectl.RunOkAsync("apply", "-k", Path.Combine(RepositoryRoot.Path, "config", "crd"));

            var started = await NodeCommands.RunAsync(
                [
                    podman.Program, "run", "--detach", "--name", container, "--network", "host",
                    "--read-only", "--user", "1654:1654", "--cap-drop", "all", "--security-opt", "no-new-privileges",
                    "--volume", $"{kubeconfig}:{KubeconfigInContainer}:ro",
                    ReleaseImages.Operator, "run", "--kubeconfig", KubeconfigInContainer, "--leader-elect=false", "--health-port", "0",
                ],
                CancellationToken.None, timeout: TimeSpan.FromSeconds(60));
            started.ExitCode.Should().Be(0, started.StandardError);

            foreach (var example in new[] { "nad.yaml", "subnet.yaml", "service.yaml", "deployment.yaml" })
            {
                await kubectl.RunOkAsync("apply", "-f", Path.Combine(RepositoryRoot.Path, "examples", example));
            }
            var waited = await kubectl.RunAsync(
                ["wait", "svc/test-service", "--for=jsonpath={.status.loadBalancer.ingress[0].ip}=172.18.0.18", "--timeout=90s"], timeout: TimeSpan.FromSeconds(100));

            var logs = await NodeCommands.RunAsync([podman.Program, "logs", container], CancellationToken.None);
            waited.ExitCode.Should().Be(0, $"the containerised operator sets EXTERNAL-IP; its log:\n{logs.StandardOutput}{logs.StandardError}");
            (logs.StandardOutput + logs.StandardError).Should().Contain("Service default/test-service Creating gateway Deployment lb-svc-test-service", "the reconcile's log scope names the Service");
            var gateway = JsonNode.Parse(await kubectl.RunOkAsync("get", "deployment", "lb-svc-test-service", "-o", "json"))!;
            gateway["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>()
                .Should().Be(ReleaseImages.Gateway, "the operator's default gateway image is this version's");
        }
        finally
        {
            await podman.RemoveAsync(container, TimeSpan.FromSeconds(5), CancellationToken.None);
            Directory.Delete(folder, recursive: true);
        }
    }
}
