using System.Text.Json.Serialization;
using k8s.Models;
using LbOperator.Framework.Entities;
using LbOperator.Framework.Entities.Attributes;

namespace LbOperator.Entities;

/// <summary>
/// Kube-OVN's <c>kubeovn.io/v1</c> IP, cluster-scoped: one per pod network interface Kube-OVN's IPAM serves (named
/// <c>&lt;pod&gt;.&lt;namespace&gt;[.&lt;provider&gt;]</c>). LbOperator only reads it: an address Kube-OVN gave a pod in a Subnet is
/// never handed to a Service. Its CRD belongs to Kube-OVN, so none is generated for it.
/// </summary>
[Ignore]
[EntityScope(EntityScope.Cluster)]
[KubernetesEntity(Group = "kubeovn.io", ApiVersion = "v1", Kind = "IP", PluralName = "ips")]
public sealed class V1KubeOvnIp : CustomKubernetesEntity<V1KubeOvnIpSpec>
{
    public V1KubeOvnIp()
    {
        ApiVersion = "kubeovn.io/v1";
        Kind = "IP";
    }
}

/// <summary>The fields of an IP's spec LbOperator reads.</summary>
public sealed class V1KubeOvnIpSpec
{
    [JsonPropertyName("subnet")] public string? Subnet { get; set; }

    [JsonPropertyName("v4IpAddress")] public string? V4IpAddress { get; set; }

    [JsonPropertyName("v6IpAddress")] public string? V6IpAddress { get; set; }

    [JsonPropertyName("podName")] public string? PodName { get; set; }

    [JsonPropertyName("namespace")] public string? Namespace { get; set; }
}
