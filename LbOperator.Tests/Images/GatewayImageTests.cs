using k8s.Models;
using LbOperator.Gateway;
using LbOperator.Release;
using LbOperator.Sandbox.Nodes;
using LbOperator.Tests.Gateway.DataPath;
using LbOperator.Tests.Testing;
using NodeCommands = LbOperator.Sandbox.Nodes.CommandRunner;

namespace LbOperator.Tests.Images;

/// <summary>
/// The gateway image as it ships (<c>make images</c> builds it from images/gateway/Dockerfile): its tools, and the
/// gateway pod's two containers run from it with exactly their pod spec's privileges in <see cref="GatewayLab"/>,
/// with real traffic over IPv4 and IPv6.
/// </summary>
[Category("DataPath")]
[NonParallelizable]
public sealed class GatewayImageTests
{
    private PodmanRuntime _podman = null!;

    private static string Image => GatewaySettings.DefaultImage;

    [SetUp]
    public async Task RequireTheImage()
    {
        DataPathRequirements.Require();
        (_podman, _) = await LocalImages.RequireAsync(Image);
    }

    [Test]
    public async Task Carries_Sh_Iproute2_Iptables_On_Nf_Tables_And_Arping()
    {
        var tools = await NodeCommands.RunAsync(
            [_podman.Program, "run", "--rm", "--network", "none", Image, "sh", "-c",
             "iptables --version; ip6tables --version; iptables-restore --version; ip -V; for t in arping cat grep sleep; do command -v $t; done"],
            CancellationToken.None, timeout: TimeSpan.FromSeconds(60));

        tools.ExitCode.Should().Be(0, tools.StandardError);
        var lines = tools.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Take(3).Should().OnlyContain(l => l.EndsWith("(nf_tables)", StringComparison.Ordinal), "the image's iptables use the nf_tables backend");
        lines.Should().Contain(l => l.StartsWith("ip utility, iproute2-", StringComparison.Ordinal), "iproute2's ip, not BusyBox's")
            .And.Contain(["/usr/bin/arping", "/usr/bin/cat", "/usr/bin/grep", "/usr/bin/sleep"]);
        var version = await NodeCommands.RunAsync(
            [_podman.Program, "image", "inspect", "--format", "{{index .Config.Labels \"org.opencontainers.image.version\"}}", Image], CancellationToken.None);
        version.StandardOutput.Trim().Should().Be(ReleaseImages.Version);
    }

    [Test]
    public async Task Init_And_Keeper_Containers_From_The_Image_Forward_Traffic_And_The_Keeper_Restores_Flushed_Rules()
    {
        using var lab = new GatewayLab(tcpPorts: [80], udpPorts: [53]);
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "lb-svc-lab-service-0", NamespaceProperty = "default" }, Spec = DataPathServices.RenderedDeployment().Spec.Template.Spec };
        var keeper = pod.Spec.Containers.Single();
        var prefix = "lbti" + Guid.NewGuid().ToString("N")[..8] + "-";
        var networkNamespace = new NetworkNamespace(lab.Gateway).Path;
        var log = Path.Combine(Path.GetTempPath(), $"{prefix}keeper.log");
        ContainerProcess? running = null;
        try
        {
            await RunInitContainerAsync(prefix, networkNamespace, pod);

            lab.Connect("tcp", GatewayLab.AllowedClientIPv4, "172.18.0.18", 80).Should().Be($"tcp 80 from {GatewayLab.GatewayEth0IPv4}");
            lab.Connect("udp", GatewayLab.AllowedClientIPv4, "172.18.0.18", 53).Should().Be($"udp 53 from {GatewayLab.GatewayEth0IPv4}");
            lab.Connect("tcp", GatewayLab.AllowedClientIPv6, "fd00:18::12", 80).Should().Be($"tcp 80 from {GatewayLab.GatewayEth0IPv6}");

            // The keeper has NET_ADMIN and NET_RAW only: with them the image's iptables must put back what vanished.
            keeper.SecurityContext.Capabilities.Add.Should().BeEquivalentTo("NET_ADMIN", "NET_RAW");
            var name = prefix + keeper.Name;
            running = StartContainer(prefix, networkNamespace, pod, keeper, log);
            await EventuallyAsync(async () => (await Exec(name, keeper.ReadinessProbe.Exec.Command)).ExitCode == 0, "the readiness check inside the keeper to pass");

            lab.RunScript("iptables -t nat -F PREROUTING; ip -4 rule del iif net1 lookup 100", "sh").EnsureSuccess("removing rules");
            lab.Connect("tcp", GatewayLab.AllowedClientIPv4, "172.18.0.18", 80).Should().NotBe($"tcp 80 from {GatewayLab.GatewayEth0IPv4}");

            await EventuallyAsync(
                () => Task.FromResult(lab.Connect("tcp", GatewayLab.AllowedClientIPv4, "172.18.0.18", 80) == $"tcp 80 from {GatewayLab.GatewayEth0IPv4}"),
                "the keeper to re-apply the rules (interval 5 s)");
            (await Exec(name, keeper.ReadinessProbe.Exec.Command)).ExitCode.Should().Be(0);
        }
        finally
        {
            await RemoveAsync(running, prefix, log);
        }
        (await LocalImages.LabelledContainersAsync(prefix)).Should().BeEmpty();
    }

    [Test]
    public async Task The_Vrrp_Container_From_The_Image_Runs_Its_Check_And_Gives_The_Address_Up_When_The_Rules_Go()
    {
        using var lab = new GatewayLab(tcpPorts: [80], udpPorts: [53]);
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "lb-svc-lab-service-0", NamespaceProperty = "default" }, Spec = DataPathServices.RenderedHighlyAvailableDeployment().Spec.Template.Spec };
        var vrrp = pod.Spec.Containers.Single(c => c.Name == GatewayBuilder.VrrpContainerName);
        var prefix = "lbtv" + Guid.NewGuid().ToString("N")[..8] + "-";
        var networkNamespace = new NetworkNamespace(lab.Gateway).Path;
        var log = Path.Combine(Path.GetTempPath(), $"{prefix}vrrp.log");
        ContainerProcess? running = null;
        try
        {
            await RunInitContainerAsync(prefix, networkNamespace, pod);
            Holds(lab).Should().BeFalse("a highly available gateway's address is keepalived's to add");

            // With no peer on net1, keepalived takes the address once its check has passed.
            var name = prefix + vrrp.Name;
            running = StartContainer(prefix, networkNamespace, pod, vrrp, log);
            await EventuallyAsync(() => Task.FromResult(Holds(lab)), "keepalived in the image to take the address");
            lab.Connect("tcp", GatewayLab.AllowedClientIPv4, "172.18.0.18", 80).Should().Be($"tcp 80 from {GatewayLab.GatewayEth0IPv4}");
            await EventuallyAsync(async () => (await Exec(name, vrrp.ReadinessProbe.Exec.Command)).ExitCode == 0, "the VRRP container to be ready while it holds the address");

            // No keeper here to put the rules back: the check keepalived runs every second must fail and give the address up.
            lab.RunScript("iptables -t nat -F PREROUTING; ip -4 rule del iif net1 lookup 100", "sh").EnsureSuccess("removing rules");
            await EventuallyAsync(() => Task.FromResult(!Holds(lab)), "keepalived to give the address up when its check fails");
            (await Exec(name, vrrp.ReadinessProbe.Exec.Command)).ExitCode.Should().NotBe(0, "a pod whose check fails cannot take the address, so it is not ready");
            var output = await File.ReadAllTextAsync(log);
            output.Should().Contain($"VRRP_Script({KeepalivedConfig.TrackScriptName}) failed").And.NotContain("Couldn't set",
                "the container's rights let keepalived run its check as its script user");
        }
        finally
        {
            await RemoveAsync(running, prefix, log);
        }
        (await LocalImages.LabelledContainersAsync(prefix)).Should().BeEmpty();
    }

    /// <summary>The pod's privileged init container, from the image, applies the gateway script in the lab's gateway namespace.</summary>
    private async Task RunInitContainerAsync(string prefix, string networkNamespace, V1Pod pod)
    {
        var init = pod.Spec.InitContainers.Single();
        var applied = await NodeCommands.RunAsync(
            ImageContainerCommand.Run(_podman.Program, prefix + init.Name, prefix, networkNamespace, pod, init, PodContainers.Environment(init, pod, [], "lab")),
            CancellationToken.None, timeout: TimeSpan.FromSeconds(60));
        applied.ExitCode.Should().Be(0, "the privileged init container applies the script: " + applied.StandardError);
    }

    /// <summary>A long-running container of the pod, from the image, in the lab's gateway namespace, logging to <paramref name="log"/>.</summary>
    private ContainerProcess StartContainer(string prefix, string networkNamespace, V1Pod pod, V1Container container, string log)
    {
        var name = prefix + container.Name;
        return ContainerProcess.StartCommandLine(
            ImageContainerCommand.Run(_podman.Program, name, prefix, networkNamespace, pod, container, PodContainers.Environment(container, pod, [], "lab")),
            container.Name, new Dictionary<string, string>(), log, readyText: null,
            stop: () => _podman.RemoveAsync(name, TimeSpan.FromSeconds(2), CancellationToken.None));
    }

    /// <summary>Stops the container, removes every container of the test's prefix and its log.</summary>
    private async Task RemoveAsync(ContainerProcess? running, string prefix, string log)
    {
        if (running is not null)
        {
            await running.DisposeAsync();
        }
        await _podman.RemoveLabelledAsync(prefix, CancellationToken.None);
        File.Delete(log);
    }

    private static bool Holds(GatewayLab lab) =>
        lab.RunScript("ip -4 addr show dev net1", "sh").StandardOutput.Contains(" 172.18.0.18/", StringComparison.Ordinal);

    private Task<CommandResult> Exec(string container, IList<string> command) =>
        NodeCommands.RunAsync(ImageContainerCommand.Exec(_podman.Program, container, [.. command]), CancellationToken.None, timeout: TimeSpan.FromSeconds(20));

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }
            await Task.Delay(250);
        }
        throw new AssertionException($"timed out after 20 s waiting for {what}");
    }
}
