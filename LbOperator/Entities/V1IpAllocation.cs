using System.Text.Json.Serialization;
using k8s.Models;
using LbOperator.Framework.Entities;
using LbOperator.Framework.Entities.Attributes;

namespace LbOperator.Entities;

/// <summary>
/// LbOperator's durable record of one allocated load-balancer address (<c>lboperator.io/v1</c> IpAllocation,
/// cluster-scoped). Only the operator writes it: tenants, who can edit their Services and Deployments, have no rights
/// on cluster-scoped objects of this group, so a record cannot be forged from a namespace. The object is named after
/// the address and its Subnet (<c>172-18-0-18.attach-subnet</c>), so the API server itself refuses a second record of
/// one address (AlreadyExists), even if two operator replicas ever disagreed. After a restart the IPAM is rebuilt from these.
/// </summary>
/// <remarks>
/// There is no owner reference: a cluster-scoped object may not name a namespaced owner (the garbage collector
/// would treat the reference as unresolvable). The operator deletes a record when it releases the address (Service
/// finalizer, teardown), and deletes any record whose Service no longer exists.
/// </remarks>
[KubernetesEntity(Group = "lboperator.io", ApiVersion = "v1", Kind = "IpAllocation", PluralName = "ipallocations")]
[EntityScope(EntityScope.Cluster)]
[KubernetesEntityShortNames("ipalloc")]
[Description("An address LbOperator has allocated to a LoadBalancer Service, named <address>.<subnet> (172-18-0-18.attach-subnet). Written only by the operator; the IPAM is rebuilt from these after a restart.")]
[GenericAdditionalPrinterColumn(".spec.address", "Address", "string")]
[GenericAdditionalPrinterColumn(".spec.subnet", "Subnet", "string")]
[GenericAdditionalPrinterColumn(".spec.service.namespace", "Namespace", "string")]
[GenericAdditionalPrinterColumn(".spec.service.name", "Service", "string")]
[GenericAdditionalPrinterColumn(".metadata.creationTimestamp", "Age", "date")]
public sealed class V1IpAllocation : CustomKubernetesEntity<V1IpAllocationSpec>
{
    public const string ApiGroupVersion = "lboperator.io/v1";
    public const string EntityKind = "IpAllocation";

    public V1IpAllocation()
    {
        ApiVersion = ApiGroupVersion;
        Kind = EntityKind;
    }
}

/// <summary>What is allocated to whom. Immutable: a record changes hands only by being deleted and created again.</summary>
[ValidationRule("self == oldSelf", message: "an IpAllocation's spec is immutable; delete the record and create it again")]
public sealed class V1IpAllocationSpec
{
    [Required]
    [Description("The Subnet (kubeovn.io/v1) the address comes from.")]
    [JsonPropertyName("subnet")] public string? Subnet { get; set; }

    [Required]
    [Description("The allocated address, in its canonical text form (IPv4 dotted quad, IPv6 lower-case and compressed).")]
    [JsonPropertyName("address")] public string? Address { get; set; }

    [Required]
    [Description("IPv4 or IPv6.")]
    [EnumValues("IPv4", "IPv6")]
    [JsonPropertyName("family")] public string? Family { get; set; }

    [Required]
    [Description("The Service that holds the address.")]
    [JsonPropertyName("service")] public V1IpAllocationHolder? Service { get; set; }
}

/// <summary>The holding Service: namespace and name, and the uid that tells it from a later Service of the same name.</summary>
public sealed class V1IpAllocationHolder
{
    [Required]
    [JsonPropertyName("namespace")] public string? Namespace { get; set; }

    [Required]
    [JsonPropertyName("name")] public string? Name { get; set; }

    [Required]
    [JsonPropertyName("uid")] public string? Uid { get; set; }
}
