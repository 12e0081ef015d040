using k8s.Models;
using LbOperator.Ipam;

namespace LbOperator.LoadBalancing;

/// <summary>
/// The attachment network a Service uses, <c>&lt;nad-name&gt;.&lt;nad-namespace&gt;</c>: the NetworkAttachmentDefinition
/// that gives the gateway pod its net1, and the provider that Subnets name in <c>spec.provider</c>.
/// </summary>
public sealed record AttachmentProvider
{
    // Annotation keys "<provider>.kubernetes.io/<name>" must have a DNS-subdomain prefix of at most 253 characters.
    private const int MaxLength = 253 - 14;

    private AttachmentProvider(string nadName, string nadNamespace)
    {
        NadName = nadName;
        NadNamespace = nadNamespace;
    }

    /// <summary><c>lb-svc-attachment.kube-system</c>, meant by an empty annotation value.</summary>
    public static AttachmentProvider Default { get; } = new("lb-svc-attachment", "kube-system");

    public string NadName { get; }

    public string NadNamespace { get; }

    /// <summary>The provider as Subnets and annotation keys spell it.</summary>
    public string Name => $"{NadName}.{NadNamespace}";

    public override string ToString() => Name;

    /// <summary>
    /// Parses a provider. The namespace is what follows the last dot (namespaces have no dots), so a
    /// NetworkAttachmentDefinition name may contain dots. An empty value means <see cref="Default"/>.
    /// </summary>
    public static RuleResult<AttachmentProvider> Parse(string? value, string where)
    {
        if (string.IsNullOrEmpty(value))
        {
            return RuleResult<AttachmentProvider>.Success(Default);
        }
        var accepted = $"accepted: <nad-name>.<nad-namespace>, e.g. {Annotations.DefaultAttachmentProvider}, or empty for that default";
        var dot = value.LastIndexOf('.');
        if (dot <= 0 || dot == value.Length - 1)
        {
            return RuleResult<AttachmentProvider>.Failure($"{where} {MessageText.Quote(value)} does not name a NetworkAttachmentDefinition ({accepted})");
        }
        var name = value[..dot];
        var ns = value[(dot + 1)..];
        if (SubnetDefinition.IsOvnProvider(value))
        {
            return RuleResult<AttachmentProvider>.Failure(
                $"{where} {MessageText.Quote(value)} is a Kube-OVN network (provider ovn or *.ovn), not a macvlan attachment ({accepted})");
        }
        if (!DnsNames.IsLabel(ns))
        {
            return RuleResult<AttachmentProvider>.Failure(
                $"{where} {MessageText.Quote(value)}: namespace {MessageText.Quote(ns)} is not a valid namespace name (lower-case letters, digits and '-', at most 63) ({accepted})");
        }
        if (!DnsNames.IsSubdomain(name) || value.Length > MaxLength)
        {
            return RuleResult<AttachmentProvider>.Failure(
                $"{where} {MessageText.Quote(value)}: {MessageText.Quote(name)} is not a valid NetworkAttachmentDefinition name (lower-case letters, digits, '-' and '.'; the whole provider at most {MaxLength} characters) ({accepted})");
        }
        return RuleResult<AttachmentProvider>.Success(new AttachmentProvider(name, ns));
    }

    /// <summary>The provider of a Service: its <see cref="Annotations.AttachmentProvider"/> annotation.</summary>
    public static RuleResult<AttachmentProvider> Of(V1Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        string? value = null;
        service.Metadata?.Annotations?.TryGetValue(Annotations.AttachmentProvider, out value);
        return Parse(value, $"Service {ServiceNames.Display(service)}: annotation {Annotations.AttachmentProvider}");
    }
}
