using System.Text;
using k8s;
using k8s.Models;
using LbOperator.Framework.Watcher;

namespace LbOperator.Tests.Framework.Watcher;

[Category("Unit")]
public sealed class PackedJsonTests
{
    private static V1Service Service(int i) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta
        {
            Name = $"svc-{i:00000}", NamespaceProperty = "bench-00", Uid = Guid.NewGuid().ToString(), ResourceVersion = $"{1000 + i}",
            Annotations = new Dictionary<string, string> { ["ovn.kubernetes.io/attachmentprovider"] = "lb-svc-attachment.kube-system" },
            Finalizers = ["lboperator.io/service"],
        },
        Spec = new V1ServiceSpec
        {
            Type = "LoadBalancer", ClusterIP = $"10.96.{i / 250}.{i % 250}", Selector = new Dictionary<string, string> { ["app"] = $"web-{i}" },
            Ports = [new V1ServicePort { Name = "http", Port = 80, TargetPort = 8080, Protocol = "TCP" }],
        },
        Status = new V1ServiceStatus
        {
            LoadBalancer = new V1LoadBalancerStatus { Ingress = [new V1LoadBalancerIngress { Ip = $"10.20.{i / 250}.{i % 250}" }] },
            Conditions = [new V1Condition { Type = "LoadBalancerReady", Status = "True", Reason = "GatewayReady", Message = "the gateway answers", LastTransitionTime = DateTime.UnixEpoch }],
        },
    };

    [Test]
    public void What_Is_Packed_Unpacks_To_The_Same_Text()
    {
        var json = KubernetesJson.Serialize(Service(7)) + "\"ünïcødé ✓\"" + new string('x', 300_000);
        PackedJson.Unpack(PackedJson.Pack(json), stream => new StreamReader(stream, Encoding.UTF8).ReadToEnd()).Should().Be(json);
        PackedJson.Unpack(PackedJson.Pack(string.Empty), stream => stream.Length).Should().Be(0);
    }

    [Test]
    public void Objects_Pack_Smaller_Than_Their_JSON_And_Big_Ones_To_A_Fraction()
    {
        var small = KubernetesJson.Serialize(Service(42));
        PackedJson.Pack(small).Length.Should().BeLessThan(Encoding.UTF8.GetByteCount(small) * 3 / 4);

        var services = KubernetesJson.Serialize(new V1ServiceList { Items = [.. Enumerable.Range(0, 20).Select(Service)] });
        PackedJson.Pack(services).Length.Should().BeLessThan(Encoding.UTF8.GetByteCount(services) / 4);
    }

    [Test]
    public void Cut_Bytes_Are_Refused()
    {
        var packed = PackedJson.Pack(KubernetesJson.Serialize(Service(1)));
        FluentActions.Invoking(() => PackedJson.Unpack(packed[..^10], stream => new StreamReader(stream).ReadToEnd()))
            .Should().Throw<InvalidDataException>();
    }
}
