using System.Text.RegularExpressions;
using LbOperator.Entities;

namespace LbOperator.LoadBalancing;

/// <summary>
/// The NetworkAttachmentDefinition that gives the gateway pod its net1, as the gateway builder needs it: the provider
/// (name and namespace) and the device resource the NAD asks for in <c>k8s.v1.cni.cncf.io/resourceName</c>, if any.
/// </summary>
public sealed partial record NetworkAttachment
{
    public NetworkAttachment(AttachmentProvider provider, string? resourceName = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        if (resourceName is not null && !IsResourceName(resourceName))
        {
            throw new ArgumentException(InvalidResourceName(provider, resourceName), nameof(resourceName));
        }
        Provider = provider;
        ResourceName = resourceName;
    }

    public AttachmentProvider Provider { get; }

    public string? ResourceName { get; }

    /// <summary>
    /// The attachment for <paramref name="provider"/>, with the resource named by <paramref name="nad"/> (when read),
    /// or the message saying why that resource name is unusable.
    /// </summary>
    public static RuleResult<NetworkAttachment> From(AttachmentProvider provider, V1NetworkAttachmentDefinition? nad)
    {
        ArgumentNullException.ThrowIfNull(provider);
        string? resourceName = null;
        nad?.Metadata?.Annotations?.TryGetValue(Annotations.MultusResourceName, out resourceName);
        if (string.IsNullOrEmpty(resourceName))
        {
            return RuleResult<NetworkAttachment>.Success(new NetworkAttachment(provider));
        }
        return IsResourceName(resourceName)
            ? RuleResult<NetworkAttachment>.Success(new NetworkAttachment(provider, resourceName))
            : RuleResult<NetworkAttachment>.Failure(InvalidResourceName(provider, resourceName));
    }

    private static bool IsResourceName(string value) => ResourceNamePattern().IsMatch(value);

    private static string InvalidResourceName(AttachmentProvider provider, string resourceName) =>
        $"NetworkAttachmentDefinition {provider.NadNamespace}/{provider.NadName}: annotation {Annotations.MultusResourceName} " +
        $"{MessageText.Quote(resourceName)} is not a resource name (accepted: <domain>/<name>, e.g. intel.com/sriov_netdevice)";

    [GeneratedRegex(@"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex ResourceNamePattern();
}
