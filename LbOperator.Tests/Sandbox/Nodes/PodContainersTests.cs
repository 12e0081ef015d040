using System.Net;
using k8s.Models;
using LbOperator.Sandbox.Nodes;

namespace LbOperator.Tests.Sandbox.Nodes;

[Category("Unit")]
public sealed class PodContainersTests
{
    [Test]
    public void Command_Line_Is_Command_Then_Args_And_Null_When_The_Image_Decides()
    {
        PodContainers.CommandLine(new V1Container { Command = ["sh", "-c"], Args = ["echo hi"] }).Should().Equal("sh", "-c", "echo hi");
        PodContainers.CommandLine(new V1Container { Args = ["sleep", "1"] }).Should().Equal("sleep", "1");
        PodContainers.CommandLine(new V1Container { Image = "qaimages:helloworld" }).Should().BeNull();
    }

    [Test]
    public void Responder_Listens_On_Declared_Tcp_Ports_Or_80()
    {
        PodContainers.ResponderPorts(new V1Container()).Should().Equal(80);
        PodContainers.ResponderPorts(new V1Container
        {
            Ports = [new V1ContainerPort { ContainerPort = 8080 }, new V1ContainerPort { ContainerPort = 53, Protocol = "UDP" }, new V1ContainerPort { ContainerPort = 9090, Protocol = "TCP" }],
        }).Should().Equal(8080, 9090);
    }

    [Test]
    public void Environment_Has_Literal_Values_And_The_Pods_Own_Fields()
    {
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "web-0", NamespaceProperty = "apps" } };
        var container = new V1Container
        {
            Env =
            [
                new V1EnvVar { Name = "PLAIN", Value = "x y" },
                new V1EnvVar { Name = "NAME", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } },
                new V1EnvVar { Name = "NS", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.namespace" } } },
                new V1EnvVar { Name = "IP", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "status.podIP" } } },
                new V1EnvVar { Name = "IPS", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "status.podIPs" } } },
                new V1EnvVar { Name = "SECRET", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "s", Key = "k" } } },
            ],
        };

        var environment = PodContainers.Environment(container, pod, [IPAddress.Parse("10.16.0.2"), IPAddress.Parse("fd00:10:16::2")], "sandbox-node");

        environment.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["PLAIN"] = "x y",
            ["NAME"] = "web-0",
            ["NS"] = "apps",
            ["IP"] = "10.16.0.2",
            ["IPS"] = "10.16.0.2,fd00:10:16::2",
            ["HOSTNAME"] = "web-0",
        });
    }

    [Test]
    public void Readiness_Command_Comes_From_An_Exec_Probe_Only()
    {
        PodContainers.ReadinessCommand(new V1Container { ReadinessProbe = new V1Probe { Exec = new V1ExecAction { Command = ["sh", "-c", "true"] } } })
            .Should().Equal("sh", "-c", "true");
        PodContainers.ReadinessCommand(new V1Container { ReadinessProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = 80 } } }).Should().BeNull();
    }
}
