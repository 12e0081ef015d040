using System.Text.Json.Serialization;
using k8s.Models;
using LbOperator.Framework.Entities;
using LbOperator.Framework.Entities.Attributes;

namespace LbOperator.Entities;

/// <summary>
/// Kube-OVN's <c>kubeovn.io/v1</c> Subnet, cluster-scoped. LbOperator manages the Subnets whose provider is not
/// <c>ovn</c> and does not end in <c>.ovn</c> ("IPAM only"); the others belong to Kube-OVN and are left alone.
/// </summary>
[KubernetesEntity(Group = "kubeovn.io", ApiVersion = "v1", Kind = "Subnet", PluralName = "subnets")]
[EntityScope(EntityScope.Cluster)]
[KubernetesEntityShortNames("subnet")]
[Description("A Kube-OVN Subnet: an address range with its gateway. LbOperator hands out load-balancer addresses from the Subnets whose provider names a NetworkAttachmentDefinition (<name>.<namespace>).")]
// Kube-OVN's columns, in Kube-OVN's order (which mixes spec and status, hence explicit paths).
[GenericAdditionalPrinterColumn(".spec.provider", "Provider", "string")]
[GenericAdditionalPrinterColumn(".spec.vpc", "Vpc", "string")]
[GenericAdditionalPrinterColumn(".spec.vlan", "Vlan", "string")]
[GenericAdditionalPrinterColumn(".spec.protocol", "Protocol", "string")]
[GenericAdditionalPrinterColumn(".spec.cidrBlock", "CIDR", "string")]
[GenericAdditionalPrinterColumn(".spec.private", "Private", "boolean")]
[GenericAdditionalPrinterColumn(".spec.natOutgoing", "NAT", "boolean")]
[GenericAdditionalPrinterColumn(".spec.default", "Default", "boolean")]
[GenericAdditionalPrinterColumn(".spec.gatewayType", "GatewayType", "string")]
[GenericAdditionalPrinterColumn(".status.v4usingIPs", "V4Used", "number")]
[GenericAdditionalPrinterColumn(".status.v4availableIPs", "V4Available", "number")]
[GenericAdditionalPrinterColumn(".status.v6usingIPs", "V6Used", "number")]
[GenericAdditionalPrinterColumn(".status.v6availableIPs", "V6Available", "number")]
[GenericAdditionalPrinterColumn(".spec.excludeIps", "ExcludeIPs", "string")]
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
/// <remarks>
/// Fields this type does not declare are preserved, not pruned: Kube-OVN adds Subnet fields release after release,
/// and a manifest written for any of them must apply unchanged and read back whole.
/// </remarks>
[PreserveUnknownFields]
public sealed class V1SubnetSpec
{
    [Required]
    [Description("One CIDR, or an IPv4 and an IPv6 CIDR separated by a comma (dual stack), e.g. 172.18.0.0/16 or 10.0.0.0/24,fd00::/64.")]
    [Pattern(SubnetPatterns.CidrBlock)]
    [JsonPropertyName("cidrBlock")] public string? CidrBlock { get; set; }
    [Description("The network's router, one address per family of cidrBlock; defaults to the first usable address.")]
    [Pattern(SubnetPatterns.Gateway)]
    [JsonPropertyName("gateway")] public string? Gateway { get; set; }
    [Description("Addresses never handed out dynamically: single addresses or inclusive ranges start..end. The gateway is always excluded.")]
    [Pattern(SubnetPatterns.ExcludeIp)]
    [JsonPropertyName("excludeIps")] public IList<string>? ExcludeIps { get; set; }
    [Description("<nad-name>.<nad-namespace> of the NetworkAttachmentDefinition the addresses live on. Empty, ovn or *.ovn means the Subnet belongs to Kube-OVN, which LbOperator leaves alone.")]
    [JsonPropertyName("provider")] public string? Provider { get; set; }
    [Description("IPv4, IPv6 or Dual; derived from cidrBlock, as Kube-OVN does.")]
    [EnumValues("", "IPv4", "IPv6", "Dual")]
    [JsonPropertyName("protocol")] public string? Protocol { get; set; }

    // Kube-OVN fields LbOperator does not act on; accepted and kept unchanged.
    [JsonPropertyName("default")] public bool? Default { get; set; }
    [JsonPropertyName("vpc")] public string? Vpc { get; set; }
    [JsonPropertyName("namespaces")] public IList<string>? Namespaces { get; set; }
    [JsonPropertyName("namespaceSelectors")] public IList<V1LabelSelector>? NamespaceSelectors { get; set; }
    [JsonPropertyName("natOutgoing")] public bool? NatOutgoing { get; set; }
    [JsonPropertyName("natOutgoingPolicyRules")] public IList<V1SubnetNatOutgoingPolicyRule>? NatOutgoingPolicyRules { get; set; }
    [JsonPropertyName("externalEgressGateway")] public string? ExternalEgressGateway { get; set; }
    [JsonPropertyName("policyRoutingPriority")] public long? PolicyRoutingPriority { get; set; }
    [JsonPropertyName("policyRoutingTableID")] public long? PolicyRoutingTableId { get; set; }
    [JsonPropertyName("private")] public bool? Private { get; set; }
    [JsonPropertyName("allowSubnets")] public IList<string>? AllowSubnets { get; set; }
    [JsonPropertyName("allowEWTraffic")] public bool? AllowEwTraffic { get; set; }
    [JsonPropertyName("gatewayType")] public string? GatewayType { get; set; }
    [JsonPropertyName("gatewayNode")] public string? GatewayNode { get; set; }
    [JsonPropertyName("gatewayNodeSelectors")] public IList<V1LabelSelector>? GatewayNodeSelectors { get; set; }
    [JsonPropertyName("logicalGateway")] public bool? LogicalGateway { get; set; }
    [JsonPropertyName("disableGatewayCheck")] public bool? DisableGatewayCheck { get; set; }
    [JsonPropertyName("disableInterConnection")] public bool? DisableInterConnection { get; set; }
    [JsonPropertyName("vlan")] public string? Vlan { get; set; }
    [JsonPropertyName("vips")] public IList<string>? Vips { get; set; }
    [JsonPropertyName("enableLb")] public bool? EnableLb { get; set; }
    [JsonPropertyName("enableEcmp")] public bool? EnableEcmp { get; set; }
    [JsonPropertyName("enableExternalLBAddress")] public bool? EnableExternalLbAddress { get; set; }
    [JsonPropertyName("enableMulticastSnoop")] public bool? EnableMulticastSnoop { get; set; }
    [JsonPropertyName("enableDHCP")] public bool? EnableDhcp { get; set; }
    [JsonPropertyName("dhcpV4Options")] public string? DhcpV4Options { get; set; }
    [JsonPropertyName("dhcpV6Options")] public string? DhcpV6Options { get; set; }
    [JsonPropertyName("enableIPv6RA")] public bool? EnableIPv6Ra { get; set; }
    [JsonPropertyName("ipv6RAConfigs")] public string? IPv6RaConfigs { get; set; }
    [JsonPropertyName("acls")] public IList<V1SubnetAcl>? Acls { get; set; }
    [JsonPropertyName("u2oInterconnection")] public bool? U2oInterconnection { get; set; }
    [JsonPropertyName("u2oInterconnectionIP")] public string? U2oInterconnectionIp { get; set; }
    [JsonPropertyName("routeTable")] public string? RouteTable { get; set; }
    [JsonPropertyName("nodeNetwork")] public string? NodeNetwork { get; set; }
    [JsonPropertyName("mtu")] public long? Mtu { get; set; }
}

/// <summary>A Kube-OVN ACL entry of a Subnet (kept, not acted on).</summary>
public sealed class V1SubnetAcl
{
    [JsonPropertyName("direction")] public string? Direction { get; set; }
    [JsonPropertyName("priority")] public long? Priority { get; set; }
    [JsonPropertyName("match")] public string? Match { get; set; }
    [JsonPropertyName("action")] public string? Action { get; set; }
}

/// <summary>A Kube-OVN NAT outgoing policy rule of a Subnet (kept, not acted on).</summary>
public sealed class V1SubnetNatOutgoingPolicyRule
{
    [JsonPropertyName("match")] public V1SubnetNatOutgoingPolicyMatch? Match { get; set; }
    [JsonPropertyName("action")] public string? Action { get; set; }
}

/// <summary>The match of a NAT outgoing policy rule.</summary>
public sealed class V1SubnetNatOutgoingPolicyMatch
{
    [JsonPropertyName("srcIPs")] public string? SrcIps { get; set; }
    [JsonPropertyName("dstIPs")] public string? DstIps { get; set; }
}

/// <summary>
/// The Subnet's status, with Kube-OVN's field names. Counts are JSON numbers as Kube-OVN writes them; decimal keeps
/// them exact up to 2^96 (an IPv6 /64 included), where double would round.
/// </summary>
public sealed class V1SubnetStatus
{
    [JsonPropertyName("v4availableIPs")] public decimal? V4AvailableIPs { get; set; }
    [JsonPropertyName("v4usingIPs")] public decimal? V4UsingIPs { get; set; }
    [JsonPropertyName("v4availableIPrange")] public string? V4AvailableIPRange { get; set; }
    [JsonPropertyName("v4usingIPrange")] public string? V4UsingIPRange { get; set; }
    [JsonPropertyName("v6availableIPs")] public decimal? V6AvailableIPs { get; set; }
    [JsonPropertyName("v6usingIPs")] public decimal? V6UsingIPs { get; set; }
    [JsonPropertyName("v6availableIPrange")] public string? V6AvailableIPRange { get; set; }
    [JsonPropertyName("v6usingIPrange")] public string? V6UsingIPRange { get; set; }
    [JsonPropertyName("conditions")] public IList<V1Condition>? Conditions { get; set; }

    // Kube-OVN status fields LbOperator does not write; kept so a status read from a cluster round-trips.
    [JsonPropertyName("activateGateway")] public string? ActivateGateway { get; set; }
    [JsonPropertyName("dhcpV4OptionsUUID")] public string? DhcpV4OptionsUuid { get; set; }
    [JsonPropertyName("dhcpV6OptionsUUID")] public string? DhcpV6OptionsUuid { get; set; }
    [JsonPropertyName("u2oInterconnectionIP")] public string? U2oInterconnectionIp { get; set; }
    [JsonPropertyName("u2oInterconnectionMAC")] public string? U2oInterconnectionMac { get; set; }
    [JsonPropertyName("u2oInterconnectionVPC")] public string? U2oInterconnectionVpc { get; set; }
    [JsonPropertyName("mcastQuerierIP")] public string? McastQuerierIp { get; set; }
    [JsonPropertyName("mcastQuerierMAC")] public string? McastQuerierMac { get; set; }
}
