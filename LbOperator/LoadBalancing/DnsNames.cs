using System.Text.RegularExpressions;

namespace LbOperator.LoadBalancing;

/// <summary>Kubernetes' name rules (DNS-1123), used to validate names before they go into annotations and objects.</summary>
public static partial class DnsNames
{
    /// <summary>A DNS-1123 label: what a namespace (and a Service) name must be.</summary>
    public static bool IsLabel(string? value) => value is { Length: > 0 and <= 63 } && LabelPattern().IsMatch(value);

    /// <summary>A DNS-1123 subdomain: what most object names (NetworkAttachmentDefinition, Subnet) must be.</summary>
    public static bool IsSubdomain(string? value) => value is { Length: > 0 and <= 253 } && SubdomainPattern().IsMatch(value);

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex LabelPattern();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex SubdomainPattern();
}
