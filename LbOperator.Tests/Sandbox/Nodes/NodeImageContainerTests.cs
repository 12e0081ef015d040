using k8s.Models;
using LbOperator.Release;
using LbOperator.Sandbox.Controllers;
using LbOperator.Sandbox.Nodes;
using LbOperator.Tests.Testing;
using static LbOperator.Tests.Sandbox.Nodes.NodeTestEnvironment;

namespace LbOperator.Tests.Sandbox.Nodes;

/// <summary>
/// Containers whose image is in podman's local storage run from it under podman, joined to the pod's network
/// namespace, with the privileges their spec asks for; any other container keeps its stand-in, and the pod's
/// status says which ran. The image is the project's gateway image (any local image would do).
/// </summary>
[Category("DataPath")]
[NonParallelizable]
public sealed class NodeImageContainerTests
{
    private const string AbsentImage = "localhost/lboperator-test-absent:0";
    private static readonly string Image = ReleaseImages.Gateway;

    private NodeNetworkOptions _options = null!;
    private SimulatedNode? _node;

    [SetUp]
    public async Task StartNode()
    {
        RequireDataPath();
        await LocalImages.RequireAsync(Image);
        _options = UniqueOptions();
        _node = CreateNode(_options);
        await _node.StartAsync(CancellationToken.None);
    }

    [TearDown]
    public async Task StopNode()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
            (await LocalImages.LabelledContainersAsync(_options.Prefix)).Should().BeEmpty("stopping the node removes every container it started");
        }
        if (_options is not null && Directory.Exists(_options.StateDirectory))
        {
            Directory.Delete(_options.StateDirectory, recursive: true);
        }
    }

    [Test]
    public async Task Init_And_Main_Containers_Run_From_The_Image_Inside_The_Pods_Network_Namespace()
    {
        // /run/.containerenv exists only inside a podman container; the address on lo shows whose namespace it was.
        var init = new V1Container
        {
            Name = "setup",
            Image = Image,
            Command = ["sh", "-c", "test -e /run/.containerenv && ip addr add 192.0.2.7/32 dev lo && iptables --version"],
            SecurityContext = new V1SecurityContext { Privileged = true },
        };
        var main = new V1Container
        {
            Name = "main",
            Image = Image,
            Command = ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"],
            ReadinessProbe = new V1Probe { Exec = new V1ExecAction { Command = ["test", "-e", "/run/.containerenv"] } },
        };

        var status = await _node!.StartPodAsync(Pod("img-1", [main], [init]), CancellationToken.None);

        status.Containers.Select(c => (c.Name, c.Init, c.Mode)).Should().Equal(("setup", true, ContainerRunMode.Image), ("main", false, ContainerRunMode.Image));
        status.Containers.Should().OnlyContain(c => c.ImageId != null && c.Detail.StartsWith("podman, image ID ", StringComparison.Ordinal));
        var lo = await new NetworkNamespace(status.NetworkNamespace).IpAsync(CancellationToken.None, "-4", "-o", "addr", "show", "lo");
        lo.StandardOutput.Should().Contain("192.0.2.7/32", "the init container ran in the pod's network namespace");
        File.ReadAllText(Path.Combine(_options.LogDirectory, "default_img-1_setup.log")).Should().Contain("(nf_tables)", "the image's own iptables ran");
        await ContainersEventuallyAsync([$"{status.NetworkNamespace}-main"]);

        await _node.StopPodAsync("default", "img-1", CancellationToken.None);

        (await LocalImages.LabelledContainersAsync(_options.Prefix)).Should().BeEmpty("stopping the pod removes its container");
    }

    [Test]
    public async Task Capabilities_Are_Those_The_Spec_Asks_For()
    {
        var capabilities = new V1Container
        {
            Name = "caps",
            Image = Image,
            Command = ["sh", "-c", "grep CapEff /proc/self/status; ip addr add 192.0.2.8/32 dev lo && echo added; exec sleep 3600"],
            SecurityContext = new V1SecurityContext { Capabilities = new V1Capabilities { Drop = ["ALL"], Add = ["NET_ADMIN"] } },
        };
        var none = new V1Container
        {
            Name = "none",
            Image = Image,
            Command = ["sh", "-c", "grep CapEff /proc/self/status; ip addr add 192.0.2.9/32 dev lo || echo refused; exec sleep 3600"],
            SecurityContext = new V1SecurityContext { Capabilities = new V1Capabilities { Drop = ["ALL"] } },
        };

        var status = await _node!.StartPodAsync(Pod("caps-1", [capabilities, none]), CancellationToken.None);

        var withNetAdmin = await LogEventuallyAsync("caps-1", "caps", "added");
        withNetAdmin.Should().Contain("CapEff:\t0000000000001000", "NET_ADMIN alone is bit 12");
        var without = await LogEventuallyAsync("caps-1", "none", "refused");
        without.Should().Contain("CapEff:\t0000000000000000");
        var lo = await new NetworkNamespace(status.NetworkNamespace).IpAsync(CancellationToken.None, "-4", "-o", "addr", "show", "lo");
        lo.StandardOutput.Should().Contain("192.0.2.8/32").And.NotContain("192.0.2.9/32");
    }

    [Test]
    public async Task Containers_Whose_Image_Is_Not_Here_Keep_Their_Stand_Ins_And_Say_So()
    {
        var command = new V1Container { Name = "cmd", Image = AbsentImage, Command = ["sh", "-c", "exec sleep 3600"] };
        var responder = new V1Container { Name = "web", Image = AbsentImage, Ports = [new V1ContainerPort { ContainerPort = 8080 }] };
        var skipped = new V1Container { Name = "nothing", Image = AbsentImage };

        var status = await _node!.StartPodAsync(Pod("absent-1", [command, responder], [skipped]), CancellationToken.None);

        status.Containers.Select(c => (c.Name, c.Mode)).Should().Equal(
            ("nothing", ContainerRunMode.Skipped), ("cmd", ContainerRunMode.HostCommand), ("web", ContainerRunMode.Responder));
        status.Containers.Should().OnlyContain(c => c.ImageId == null && c.Detail.StartsWith($"image \"{AbsentImage}\" is not in podman's local storage", StringComparison.Ordinal));
        status.Containers.Single(c => c.Name == "web").Detail.Should().EndWith("the built-in hello-world responder answers on TCP 8080");
        (await LocalImages.LabelledContainersAsync(_options.Prefix)).Should().BeEmpty();
    }

    [Test]
    public async Task With_Images_Turned_Off_A_Local_Image_Gets_The_Stand_In()
    {
        await _node!.DisposeAsync();
        _node = CreateNode(_options with { RunImages = false });
        await _node.StartAsync(CancellationToken.None);
        var container = new V1Container { Name = "cmd", Image = Image, Command = ["sh", "-c", "test ! -e /run/.containerenv && exec sleep 3600"] };

        var status = await _node.StartPodAsync(Pod("off-1", [container]), CancellationToken.None);

        status.Containers.Should().ContainSingle().Which.Mode.Should().Be(ContainerRunMode.HostCommand);
        status.Containers[0].Detail.Should().StartWith("running images is turned off");
        _node.Podman.Should().BeNull();
    }

    [Test]
    public async Task A_Failing_Init_Container_From_The_Image_Fails_The_Pod_With_Its_Output()
    {
        var init = new V1Container { Name = "setup", Image = Image, Command = ["sh", "-c", "echo broken >&2; exit 4"] };

        var start = () => _node!.StartPodAsync(Pod("bad-1", [new V1Container { Name = "main", Image = AbsentImage, Command = ["sleep", "60"] }], [init]), CancellationToken.None);

        (await start.Should().ThrowAsync<PodStartException>()).Which.Message.Should().Be("pod default/bad-1: init container setup exited with code 4: broken");
        (await LocalImages.LabelledContainersAsync(_options.Prefix)).Should().BeEmpty();
    }

    [Test]
    public async Task A_Crashed_Runs_Containers_Are_Removed_When_The_Prefix_Starts_Again()
    {
        var main = new V1Container { Name = "main", Image = Image, Command = ["sh", "-c", "exec sleep 3600"] };
        var status = await _node!.StartPodAsync(Pod("left-1", [main]), CancellationToken.None);
        await ContainersEventuallyAsync([$"{status.NetworkNamespace}-main"]);
        // A crash: the owner is gone without stopping anything; its state file names a process that has exited.
        await new NodeStateFile(_options.StateFile).WriteAsync(new NodeState(int.MaxValue - 1, _options.Prefix, DateTimeOffset.UtcNow), CancellationToken.None);

        await using var next = CreateNode(_options);
        await next.StartAsync(CancellationToken.None);

        (await LocalImages.LabelledContainersAsync(_options.Prefix)).Should().BeEmpty();
        (await NetworkNamespace.ListAsync(CancellationToken.None)).Should().NotContain(status.NetworkNamespace);
    }

    /// <summary>Waits for podman to list exactly these containers: a main container is created while its pod reports started.</summary>
    private async Task ContainersEventuallyAsync(IReadOnlyList<string> expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        IReadOnlyList<string> listed;
        do
        {
            listed = await LocalImages.LabelledContainersAsync(_options.Prefix);
            if (listed.SequenceEqual(expected))
            {
                return;
            }
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        listed.Should().Equal(expected);
    }

    private async Task<string> LogEventuallyAsync(string pod, string container, string text)
    {
        var path = Path.Combine(_options.LogDirectory, $"default_{pod}_{container}.log");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var content = "";
        while (DateTime.UtcNow < deadline)
        {
            content = File.Exists(path) ? await ReadSharedAsync(path) : "";
            if (content.Contains(text, StringComparison.Ordinal))
            {
                return content;
            }
            await Task.Delay(100);
        }
        throw new AssertionException($"{path} did not show \"{text}\" within 20 s: {content}");
    }

    private static async Task<string> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
