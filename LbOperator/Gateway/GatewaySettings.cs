using k8s.Models;
using LbOperator.Release;

namespace LbOperator.Gateway;

/// <summary>
/// How gateway pods run, set by the operator's configuration: image, pull policy, resources, placement, and how
/// often the long-running container checks that the rules are still in place.
/// </summary>
public sealed record GatewaySettings
{
    /// <summary>
    /// The project's own gateway image at this version (images/gateway/Dockerfile: sh, iproute2, iptables/ip6tables
    /// with the nf_tables backend, arping). Kube-OVN's <c>vpc-nat-gateway</c> image works too (docs/gateway.md).
    /// </summary>
    public static string DefaultImage => ReleaseImages.Gateway;

    public string Image { get; init; } = DefaultImage;

    public string ImagePullPolicy { get; init; } = "IfNotPresent";

    public IReadOnlyDictionary<string, ResourceQuantity> Requests { get; init; } =
        new Dictionary<string, ResourceQuantity> { ["cpu"] = new("10m"), ["memory"] = new("16Mi") };

    public IReadOnlyDictionary<string, ResourceQuantity> Limits { get; init; } =
        new Dictionary<string, ResourceQuantity> { ["memory"] = new("64Mi") };

    public IReadOnlyDictionary<string, string> NodeSelector { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<V1Toleration> Tolerations { get; init; } = [];

    public TimeSpan KeeperInterval { get; init; } = TimeSpan.FromSeconds(5);
}
