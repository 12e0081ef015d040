using System.Text.Json.Serialization;
using k8s.Models;
using LbOperator.Framework.Entities;

namespace LbOperator.Entities;

/// <summary>
/// Kube-OVN's <c>kubeovn.io/v1</c> Subnet, cluster-scoped. LbOperator manages the Subnets whose provider is not
/// <c>ovn</c> and does not end in <c>.ovn</c> ("IPAM only"); the others belong to Kube-OVN and are left alone.
/// </summary>
[KubernetesEntity(Group = "kubeovn.io", ApiVersion = "v1", Kind = "Subnet", PluralName = "subnets")]
public sealed class V1Subnet : CustomKubernetesEntity<V1SubnetSpec, V1SubnetStatus>
{
    public const string ApiGroupVersion = "kubeovn.io/v1";
    public const string EntityKind = "Subnet";

    public V1Subnet()
    {
        ApiVersion = ApiGroupVersion;
        Kind = EntityKind;
    }
}

/// <summary>The Subnet's spec: the fields LbOperator reads, plus Kube-OVN's others kept so manifests round-trip.</summary>
public sealed class V1SubnetSpec
{
    [JsonPropertyName("cidrBlock")] public string? CidrBlock { get; set; }
    [JsonPropertyName("gateway")] public string? Gateway { get; set; }
    [JsonPropertyName("excludeIps")] public IList<string>? ExcludeIps { get; set; }
    [JsonPropertyName("provider")] public string? Provider { get; set; }
    [JsonPropertyName("protocol")] public string? Protocol { get; set; }

    // Kube-OVN fields LbOperator does not act on; accepted and kept unchanged.
    [JsonPropertyName("default")] public bool? Default { get; set; }
    [JsonPropertyName("vpc")] public string? Vpc { get; set; }
    [JsonPropertyName("namespaces")] public IList<string>? Namespaces { get; set; }
    [JsonPropertyName("natOutgoing")] public bool? NatOutgoing { get; set; }
    [JsonPropertyName("private")] public bool? Private { get; set; }
    [JsonPropertyName("allowSubnets")] public IList<string>? AllowSubnets { get; set; }
    [JsonPropertyName("gatewayType")] public string? GatewayType { get; set; }
    [JsonPropertyName("gatewayNode")] public string? GatewayNode { get; set; }
    [JsonPropertyName("vlan")] public string? Vlan { get; set; }
    [JsonPropertyName("vips")] public IList<string>? Vips { get; set; }
    [JsonPropertyName("enableLb")] public bool? EnableLb { get; set; }
    [JsonPropertyName("mtu")] public int? Mtu { get; set; }
}

/// <summary>The Subnet's status, with Kube-OVN's field names.</summary>
public sealed class V1SubnetStatus
{
    [JsonPropertyName("v4availableIPs")] public double? V4AvailableIPs { get; set; }
    [JsonPropertyName("v4usingIPs")] public double? V4UsingIPs { get; set; }
    [JsonPropertyName("v4availableIPrange")] public string? V4AvailableIPRange { get; set; }
    [JsonPropertyName("v4usingIPrange")] public string? V4UsingIPRange { get; set; }
    [JsonPropertyName("v6availableIPs")] public double? V6AvailableIPs { get; set; }
    [JsonPropertyName("v6usingIPs")] public double? V6UsingIPs { get; set; }
    [JsonPropertyName("v6availableIPrange")] public string? V6AvailableIPRange { get; set; }
    [JsonPropertyName("v6usingIPrange")] public string? V6UsingIPRange { get; set; }
    [JsonPropertyName("conditions")] public IList<V1Condition>? Conditions { get; set; }
}
