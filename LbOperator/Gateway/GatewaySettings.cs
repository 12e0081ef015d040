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

    /// <summary>
    /// Pins the image by digest (<c>sha256:</c> and 64 hex digits): the pods then run exactly that image, whatever
    /// the tag points to later. Null: the image reference as given.
    /// </summary>
    public string? ImageDigest { get; init; }

    /// <summary>The reference the containers use: <see cref="Image"/>, with <c>@</c><see cref="ImageDigest"/> when pinned.</summary>
    /// <exception cref="ArgumentException">The image is empty or has white space, or the digest is not a sha256 digest or the image already carries one.</exception>
    public string ImageReference
    {
        get
        {
            if (string.IsNullOrWhiteSpace(Image) || Image.Any(char.IsWhiteSpace))
            {
                throw new ArgumentException($"the gateway image \"{Image}\" is not an image reference", nameof(Image));
            }
            if (ImageDigest is null)
            {
                return Image;
            }
            if (!IsDigest(ImageDigest))
            {
                throw new ArgumentException($"the gateway image digest \"{ImageDigest}\" is not sha256: and 64 lower-case hex digits", nameof(ImageDigest));
            }
            if (Image.Contains('@', StringComparison.Ordinal))
            {
                throw new ArgumentException($"the gateway image \"{Image}\" already names a digest; give the digest once", nameof(ImageDigest));
            }
            return $"{Image}@{ImageDigest}";
        }
    }

    public string ImagePullPolicy { get; init; } = "IfNotPresent";

    public IReadOnlyDictionary<string, ResourceQuantity> Requests { get; init; } =
        new Dictionary<string, ResourceQuantity> { ["cpu"] = new("10m"), ["memory"] = new("16Mi") };

    public IReadOnlyDictionary<string, ResourceQuantity> Limits { get; init; } =
        new Dictionary<string, ResourceQuantity> { ["memory"] = new("64Mi") };

    public IReadOnlyDictionary<string, string> NodeSelector { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<V1Toleration> Tolerations { get; init; } = [];

    public TimeSpan KeeperInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gateway pods per Service that does not say (<c>lboperator.io/gateway-replicas</c>): 1, one pod holding the
    /// address; more, a highly available gateway with standbys on other nodes.
    /// </summary>
    public int Replicas { get; init; } = 1;

    /// <summary>
    /// How often the holder of a highly available gateway's address advertises it. A standby takes over after three
    /// missed advertisements plus a skew under one interval: about 0.35 s at 100 ms.
    /// </summary>
    public TimeSpan VrrpAdvertisementInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The VRRP router ids highly available gateways may take: all of 1 to 255 unless the physical network runs VRRP
    /// routers of its own, whose ids must be left out (their elections would hear the gateways' advertisements).
    /// </summary>
    public IReadOnlyList<VrrpRouterId> VrrpRouterIds { get; init; } = Gateway.VrrpRouterIds.All;

    /// <summary>True for <c>sha256:</c> followed by 64 lower-case hex digits, the form registries answer with.</summary>
    public static bool IsDigest(string? digest) =>
        digest is { Length: 71 } && digest.StartsWith("sha256:", StringComparison.Ordinal)
        && digest.AsSpan(7).IndexOfAnyExcept(HexDigits) < 0;

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdef");
}
