using k8s.Models;
using LbOperator.Sandbox.Nodes;

namespace LbOperator.Tests.Sandbox.Nodes;

/// <summary>The <c>podman run</c> line a pod's container gets on the simulated node, from its spec alone.</summary>
[Category("Unit")]
public sealed class ImageContainerCommandTests
{
    private const string NetnsPath = "/run/netns/lbop-pod-default-gw-1";

    private static readonly IReadOnlyDictionary<string, string> NoEnvironment = new Dictionary<string, string>();

    [Test]
    public void Privileged_Init_Container_Runs_Its_Command_As_Entry_Point_In_The_Pods_Network_Namespace()
    {
        var container = new V1Container
        {
            Name = "lb-svc-init",
            Image = "ghcr.io/lboperator/lboperator-gateway:0.1.0",
            Command = ["sh", "-c", "set -eu\nip link set net1 up"],
            SecurityContext = new V1SecurityContext { Privileged = true, RunAsUser = 0 },
        };

        var command = Run(Pod("gw-1", container), container);

        command.Should().StartWith(["podman", "run", "--rm", "--replace", "--name", "gw-1-lb-svc-init", "--label", "sandbox.lboperator.io/prefix=lbop-"]);
        command.Should().ContainInConsecutiveOrder("--pull", "never").And.ContainInConsecutiveOrder("--network", "ns:" + NetnsPath)
            .And.ContainInConsecutiveOrder("--hostname", "gw-1").And.ContainInConsecutiveOrder("--user", "0");
        command.Should().Contain("--privileged").And.NotContain(a => a.StartsWith("--cap-", StringComparison.Ordinal));
        command.Should().EndWith(["--entrypoint", """["sh","-c","set -eu\nip link set net1 up"]""", "ghcr.io/lboperator/lboperator-gateway:0.1.0"]);
    }

    [Test]
    public void Dropping_All_And_Adding_Two_Gives_Exactly_Those_Two_Without_Privilege_Escalation()
    {
        var container = new V1Container
        {
            Name = "lb-svc",
            Image = "gw:1",
            Command = ["sh", "-c", "keep"],
            SecurityContext = new V1SecurityContext
            {
                AllowPrivilegeEscalation = false,
                Capabilities = new V1Capabilities { Drop = ["ALL"], Add = ["NET_RAW", "NET_ADMIN"] },
            },
        };

        var command = Run(Pod("gw-1", container), container);

        command.Where(a => a.StartsWith("--cap-", StringComparison.Ordinal)).Should().Equal("--cap-drop=all", "--cap-add=NET_ADMIN", "--cap-add=NET_RAW");
        command.Should().ContainInConsecutiveOrder("--security-opt", "no-new-privileges").And.NotContain("--privileged");
    }

    [Test]
    public void Without_A_Security_Context_The_Container_Gets_Containerds_Default_Capabilities()
    {
        ImageContainerCommand.Capabilities(null).Should().Equal(ImageContainerCommand.DefaultCapabilities.Order(StringComparer.Ordinal));
        ImageContainerCommand.Capabilities(null).Should().Contain("NET_RAW", "containerd grants NET_RAW, podman's own default does not")
            .And.NotContain("NET_ADMIN");
        ImageContainerCommand.Capabilities(new V1Capabilities { Drop = ["CAP_NET_RAW", "mknod"], Add = ["sys_time"] })
            .Should().Contain("SYS_TIME").And.NotContain("NET_RAW").And.NotContain("MKNOD").And.Contain("CHOWN");
    }

    [Test]
    public void Args_Alone_Keep_The_Images_Entry_Point_And_Follow_The_Image()
    {
        var container = new V1Container { Name = "web", Image = "hello:1", Args = ["--port", "8080"] };

        var command = Run(Pod("web-1", container), container);

        command.Should().NotContain("--entrypoint").And.EndWith(["hello:1", "--port", "8080"]);
        Run(Pod("web-1", container), new V1Container { Name = "bare", Image = "hello:1" }).Should().EndWith(["--cap-add=SYS_CHROOT", "hello:1"]);
    }

    [Test]
    public void Environment_Values_Travel_Whole_Including_Newlines()
    {
        var container = new V1Container { Name = "lb-svc", Image = "gw:1" };
        var environment = new Dictionary<string, string> { ["LBSVC_APPLY"] = "set -eu\nip link set net1 up\n", ["HOSTNAME"] = "gw-1" };

        var command = ImageContainerCommand.Run("podman", "n", "lbop-", NetnsPath, Pod("gw-1", container), container, environment);

        command.Should().ContainInConsecutiveOrder("--env", "LBSVC_APPLY=set -eu\nip link set net1 up\n").And.ContainInConsecutiveOrder("--env", "HOSTNAME=gw-1");
    }

    [Test]
    public void Read_Only_Root_User_From_The_Pod_And_EmptyDir_Mounts_As_Kubernetes_Gives_Them()
    {
        var container = new V1Container
        {
            Name = "manager",
            Image = "op:1",
            WorkingDir = "/app",
            SecurityContext = new V1SecurityContext { ReadOnlyRootFilesystem = true, RunAsGroup = 1654 },
            VolumeMounts = [new V1VolumeMount { Name = "tmp", MountPath = "/tmp" }, new V1VolumeMount { Name = "config", MountPath = "/etc/config" }],
        };
        var pod = Pod("op-1", container);
        pod.Spec.SecurityContext = new V1PodSecurityContext { RunAsUser = 1654, RunAsGroup = 1, SupplementalGroups = [2000] };
        pod.Spec.Volumes =
        [
            new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource() },
            new V1Volume { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = "c" } },
        ];

        var command = Run(pod, container);

        command.Should().ContainInConsecutiveOrder(["--user", "1654:1654"], "the container's group wins over the pod's")
            .And.ContainInConsecutiveOrder("--group-add", "2000")
            .And.ContainInConsecutiveOrder("--read-only", "--read-only-tmpfs=false")
            .And.ContainInConsecutiveOrder("--tmpfs", "/tmp:rw,exec,mode=1777")
            .And.ContainInConsecutiveOrder("--workdir", "/app");
        command.Should().NotContain(a => a.StartsWith("/etc/config", StringComparison.Ordinal), "only emptyDir volumes are simulated");
    }

    [Test]
    public void Probe_Runs_Inside_The_Container()
    {
        ImageContainerCommand.Exec("/usr/bin/podman", "gw-1-lb-svc", ["sh", "-c", "check"]).Should().Equal("/usr/bin/podman", "exec", "gw-1-lb-svc", "sh", "-c", "check");
    }

    private static IReadOnlyList<string> Run(V1Pod pod, V1Container container) =>
        ImageContainerCommand.Run("podman", $"{pod.Metadata.Name}-{container.Name}", "lbop-", NetnsPath, pod, container, NoEnvironment);

    private static V1Pod Pod(string name, V1Container container) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1PodSpec { Containers = [container] },
    };
}
