using System.Net;
using k8s.Models;
using LbOperator.Entities;
using LbOperator.Gateway;
using LbOperator.Ipam;
using LbOperator.LoadBalancing;

namespace LbOperator.Tests.LoadBalancing;

/// <summary>Services and Subnets for the rule tests, shaped like the seed's.</summary>
internal static class TestObjects
{
    public const string Provider = "lb-svc-attachment.kube-system";

    public static V1Service Service(
        Dictionary<string, string>? annotations = null,
        string? loadBalancerIp = null,
        string type = "LoadBalancer",
        string? loadBalancerClass = null,
        IList<string>? clusterIps = null,
        IList<V1ServicePort>? ports = null,
        IList<string>? sourceRanges = null,
        string name = "test-service") => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "default",
            Uid = "uid-1",
            Annotations = annotations ?? new Dictionary<string, string> { ["ovn.kubernetes.io/attachmentprovider"] = Provider },
        },
        Spec = new V1ServiceSpec
        {
            Type = type,
            LoadBalancerClass = loadBalancerClass,
            LoadBalancerIP = loadBalancerIp,
            ClusterIP = clusterIps?.FirstOrDefault() ?? "10.109.201.193",
            ClusterIPs = clusterIps ?? ["10.109.201.193"],
            Ports = ports ?? [new V1ServicePort { Name = "test", Protocol = "TCP", Port = 80, TargetPort = 80 }],
            LoadBalancerSourceRanges = sourceRanges,
        },
    };

    public static Dictionary<string, string> ProviderAnnotations(params (string Key, string Value)[] extra)
    {
        var annotations = new Dictionary<string, string> { ["ovn.kubernetes.io/attachmentprovider"] = Provider };
        foreach (var (key, value) in extra)
        {
            annotations[key] = value;
        }
        return annotations;
    }

    public static V1Subnet Subnet(
        string name = "attach-subnet",
        string? provider = Provider,
        string cidr = "172.18.0.0/16",
        DateTime? created = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, CreationTimestamp = created },
        Spec = new V1SubnetSpec { Provider = provider, CidrBlock = cidr },
    };

    public static SubnetDefinition Definition(string cidr = "172.18.0.0/16", string name = "attach-subnet")
    {
        var parsed = SubnetParser.Parse(Subnet(name, cidr: cidr));
        parsed.IsValid.Should().BeTrue(string.Join("; ", parsed.Errors));
        return parsed.Definition!;
    }

    /// <summary>What the planner makes of <paramref name="service"/> in <paramref name="subnet"/>, for builder tests.</summary>
    public static ServicePlan Plan(V1Service service, SubnetDefinition subnet, NetworkAttachment? attachment = null) => new(
        AttachmentProvider.Default,
        attachment ?? new NetworkAttachment(AttachmentProvider.Default),
        subnet,
        AddressRequest.Dynamic,
        ServiceForwarding.Parse(service).GetValueOrThrow());

    /// <summary>The gateway Deployment the builder makes for <see cref="Service"/> at 172.18.0.18, for drift and cache tests.</summary>
    public static V1Deployment Gateway() =>
        GatewayBuilder.Build(Service(), Plan(Service(), Definition()), [IPAddress.Parse("172.18.0.18")], new GatewaySettings());
}
