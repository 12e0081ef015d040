namespace LbOperator.LoadBalancing;

/// <summary>
/// Every annotation and well-known name LbOperator reads or writes, in one place. The Kube-OVN names are kept so
/// that manifests written for Kube-OVN's lb-svc work unchanged.
/// </summary>
public static class Annotations
{
    /// <summary>On a Service: the attachment network <c>&lt;nad&gt;.&lt;namespace&gt;</c>; its presence opts the Service in.</summary>
    public const string AttachmentProvider = "ovn.kubernetes.io/attachmentprovider";

    /// <summary>The provider meant by an empty <see cref="AttachmentProvider"/> value.</summary>
    public const string DefaultAttachmentProvider = "lb-svc-attachment.kube-system";

    /// <summary>The <c>spec.loadBalancerClass</c> that names this operator; Services without a class are ours too.</summary>
    public const string LoadBalancerClass = "lboperator.io/lb-svc";

    /// <summary>
    /// On a Service: the older form of <c>spec.loadBalancerSourceRanges</c>, comma-separated CIDRs. Honoured when the
    /// field is empty, as kube-proxy and the cloud providers do.
    /// </summary>
    public const string LegacySourceRanges = "service.beta.kubernetes.io/load-balancer-source-ranges";

    /// <summary>On a pod template: the Multus network selection.</summary>
    public const string MultusNetworks = "k8s.v1.cni.cncf.io/networks";

    /// <summary>On a NetworkAttachmentDefinition: the device-plugin resource its interfaces need (SR-IOV and the like).</summary>
    public const string MultusResourceName = "k8s.v1.cni.cncf.io/resourceName";

    /// <summary>On the gateway pod template: a hash of the script and annotations, so any change rolls the pod.</summary>
    public const string GatewayHash = "lboperator.io/gateway-hash";

    /// <summary>
    /// On a Service: how many gateway pods serve its address, one active and the others standing by on other nodes
    /// (<c>"2"</c> for a highly available gateway). Absent: the operator's <c>--gateway-replicas</c>.
    /// </summary>
    public const string GatewayReplicas = "lboperator.io/gateway-replicas";

    /// <summary>
    /// On the gateway pod template of a highly available gateway: the VRRP router id its pods share, which the operator
    /// keeps unique among its gateways.
    /// </summary>
    public const string GatewayRouterId = "lboperator.io/vrrp-router-id";

    /// <summary>
    /// On a Service: the Kube-OVN subnet for the gateway pod's own eth0 (custom VPCs). Copied to the pod template
    /// unchanged, as Kube-OVN does; only Kube-OVN reads it.
    /// </summary>
    public const string OvnLogicalSwitch = "ovn.kubernetes.io/logical_switch";

    /// <summary><c>&lt;provider&gt;.kubernetes.io/logical_switch</c>: the Subnet (Service: requested; pod: used).</summary>
    public static string LogicalSwitch(string provider) => ProviderKey(provider, "logical_switch");

    /// <summary><c>&lt;provider&gt;.kubernetes.io/ip_address</c>: the address(es), comma-separated, IPv4 first.</summary>
    public static string IpAddress(string provider) => ProviderKey(provider, "ip_address");

    /// <summary><c>&lt;provider&gt;.kubernetes.io/cidr</c>: the Subnet's CIDR block.</summary>
    public static string Cidr(string provider) => ProviderKey(provider, "cidr");

    /// <summary><c>&lt;provider&gt;.kubernetes.io/gateway</c>: the Subnet's gateway(s).</summary>
    public static string Gateway(string provider) => ProviderKey(provider, "gateway");

    /// <summary><c>&lt;provider&gt;.kubernetes.io/allocated</c>: "true" once the address is allocated.</summary>
    public static string Allocated(string provider) => ProviderKey(provider, "allocated");

    private static string ProviderKey(string provider, string name) => $"{provider}.kubernetes.io/{name}";
}
