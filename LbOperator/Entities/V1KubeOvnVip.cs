using System.Text.Json.Serialization;
using k8s.Models;
using LbOperator.Framework.Entities;
using LbOperator.Framework.Entities.Attributes;

namespace LbOperator.Entities;

/// <summary>
/// Kube-OVN's <c>kubeovn.io/v1</c> Vip, cluster-scoped: an address reserved in a Subnet without a pod (requested in
/// <c>spec.v4ip</c>/<c>spec.v6ip</c>, allocated into <c>status.v4ip</c>/<c>status.v6ip</c>). LbOperator only reads it:
/// such an address is never handed to a Service. Its CRD belongs to Kube-OVN, so none is generated for it.
/// </summary>
[Ignore]
[EntityScope(EntityScope.Cluster)]
[KubernetesEntity(Group = "kubeovn.io", ApiVersion = "v1", Kind = "Vip", PluralName = "vips")]
public sealed class V1KubeOvnVip : CustomKubernetesEntity<V1KubeOvnVipSpec, V1KubeOvnVipStatus>
{
    public V1KubeOvnVip()
    {
        ApiVersion = "kubeovn.io/v1";
        Kind = "Vip";
    }
}

public sealed class V1KubeOvnVipSpec
{
    [JsonPropertyName("subnet")] public string? Subnet { get; set; }

    [JsonPropertyName("v4ip")] public string? V4Ip { get; set; }

    [JsonPropertyName("v6ip")] public string? V6Ip { get; set; }
}

public sealed class V1KubeOvnVipStatus
{
    [JsonPropertyName("v4ip")] public string? V4Ip { get; set; }

    [JsonPropertyName("v6ip")] public string? V6Ip { get; set; }
}
