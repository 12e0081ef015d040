using System.Text.Json.Serialization;
using k8s.Models;
using LbOperator.Framework.Entities;
using LbOperator.Framework.Entities.Attributes;

namespace LbOperator.Entities;

/// <summary>
/// Multus' <c>k8s.cni.cncf.io/v1</c> NetworkAttachmentDefinition, namespaced. LbOperator only reads it: its name and
/// namespace give the gateway pod's net1, and annotation <c>k8s.v1.cni.cncf.io/resourceName</c> a device resource.
/// Its CRD belongs to Multus, so none is generated for it.
/// </summary>
[Ignore]
[KubernetesEntity(Group = "k8s.cni.cncf.io", ApiVersion = "v1", Kind = "NetworkAttachmentDefinition", PluralName = "network-attachment-definitions")]
public sealed class V1NetworkAttachmentDefinition : CustomKubernetesEntity<V1NetworkAttachmentDefinitionSpec>
{
    public const string ApiGroupVersion = "k8s.cni.cncf.io/v1";
    public const string EntityKind = "NetworkAttachmentDefinition";

    public V1NetworkAttachmentDefinition()
    {
        ApiVersion = ApiGroupVersion;
        Kind = EntityKind;
    }
}

/// <summary>The CNI configuration, a JSON document kept as text (LbOperator does not interpret it).</summary>
public sealed class V1NetworkAttachmentDefinitionSpec
{
    [JsonPropertyName("config")] public string? Config { get; set; }
}
