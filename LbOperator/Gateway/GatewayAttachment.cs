using System.Text.RegularExpressions;
using LbOperator.Entities;
using LbOperator.LoadBalancing;

namespace LbOperator.Gateway;

/// <summary>
/// The NetworkAttachmentDefinition that gives the gateway pod its net1, as the builder needs it: the provider (name and
/// namespace) and the device resource the NAD asks for in <c>k8s.v1.cni.cncf.io/resourceName</c>, if any.
/// </summary>
public sealed partial record GatewayAttachment
{
    public GatewayAttachment(AttachmentProvider provider, string? resourceName = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        if (resourceName is not null && !ResourceNamePattern().IsMatch(resourceName))
        {
            throw new ArgumentException(
                $"NetworkAttachmentDefinition {provider.NadNamespace}/{provider.NadName}: annotation {Annotations.MultusResourceName} " +
                $"\"{resourceName}\" is not a resource name (accepted: <domain>/<name>, e.g. intel.com/sriov_netdevice)",
                nameof(resourceName));
        }
        Provider = provider;
        ResourceName = resourceName;
    }

    public AttachmentProvider Provider { get; }

    public string? ResourceName { get; }

    /// <summary>The attachment for <paramref name="provider"/>, with the resource named by <paramref name="nad"/> (when read).</summary>
    public static GatewayAttachment From(AttachmentProvider provider, V1NetworkAttachmentDefinition? nad)
    {
        string? resourceName = null;
        nad?.Metadata?.Annotations?.TryGetValue(Annotations.MultusResourceName, out resourceName);
        return new GatewayAttachment(provider, string.IsNullOrEmpty(resourceName) ? null : resourceName);
    }

    [GeneratedRegex(@"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex ResourceNamePattern();
}
