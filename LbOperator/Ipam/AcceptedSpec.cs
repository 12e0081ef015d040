using System.Text.Json;
using System.Text.Json.Serialization;
using k8s.Models;
using LbOperator.Entities;

namespace LbOperator.Ipam;

/// <summary>
/// The Subnet definition in effect in the IPAM, kept on the Subnet itself in an annotation that only the operator
/// writes, so that a restarted operator rebuilds the IPAM from what it had accepted and not from what the spec says
/// now: a <c>cidrBlock</c> change refused while addresses are held stays refused, and a spec that became invalid
/// keeps its holders. An annotation, not a status field, because a structural Subnet CRD (Kube-OVN's own) prunes
/// status fields it does not declare, and never prunes annotations. The value is the normalised spec as JSON
/// (<c>cidrBlock</c>, <c>gateway</c>, <c>excludeIps</c>, <c>provider</c>, <c>vpc</c>, <c>vlan</c>), read back
/// through <see cref="SubnetParser"/>, so a hand-edited value is validated like any spec.
/// </summary>
public static class AcceptedSpec
{
    /// <summary>The annotation on the Subnet.</summary>
    public const string Annotation = "lboperator.io/accepted-spec";

    private const int ShownLength = 200;

    private static readonly JsonSerializerOptions Options = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The annotation's value for <paramref name="definition"/>.</summary>
    public static string Format(SubnetDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return JsonSerializer.Serialize(new Stored(
            definition.CidrBlock,
            definition.Gateway,
            [.. definition.ExcludeIps.Select(r => r.ToExcludeIpsString()).Order(StringComparer.Ordinal)],
            definition.Provider,
            definition.Vpc.Length == 0 ? null : definition.Vpc,
            definition.Vlan.Length == 0 ? null : definition.Vlan), Options);
    }

    /// <summary>
    /// The definition the annotation records, parsed and validated; null when the Subnet has no such annotation. A
    /// value that is not what <see cref="Format"/> writes is an invalid result naming the annotation.
    /// </summary>
    public static SubnetParseResult? Read(V1Subnet subnet)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        if (subnet.Metadata?.Annotations?.TryGetValue(Annotation, out var value) != true || string.IsNullOrEmpty(value))
        {
            return null;
        }

        var name = subnet.Metadata.Name ?? "<unnamed>";
        Stored? stored;
        try
        {
            stored = JsonSerializer.Deserialize<Stored>(value, Options);
        }
        catch (JsonException)
        {
            stored = null;
        }

        if (stored is null)
        {
            var shown = value.Length > ShownLength ? value[..ShownLength] + "…" : value;
            return SubnetParseResult.Invalid([new SubnetValidationError(name, $"metadata.annotations[{Annotation}]", shown,
                "is not the JSON object this operator writes; remove the annotation and the operator writes it again from the spec")]);
        }

        return SubnetParser.Parse(new V1Subnet
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1SubnetSpec
            {
                CidrBlock = stored.CidrBlock,
                Gateway = stored.Gateway,
                ExcludeIps = stored.ExcludeIps,
                Provider = stored.Provider,
                Vpc = stored.Vpc,
                Vlan = stored.Vlan,
            },
        });
    }

    /// <summary>Records <paramref name="inEffect"/> on <paramref name="subnet"/> (null removes the record); true when the annotation changed.</summary>
    public static bool Write(V1Subnet subnet, SubnetDefinition? inEffect)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        subnet.Metadata ??= new V1ObjectMeta();
        var annotations = subnet.Metadata.Annotations;
        if (inEffect is null)
        {
            return annotations?.Remove(Annotation) == true;
        }

        var value = Format(inEffect);
        if (annotations is not null && annotations.TryGetValue(Annotation, out var current) && current == value)
        {
            return false;
        }

        subnet.Metadata.Annotations = annotations ?? new Dictionary<string, string>();
        subnet.Metadata.Annotations[Annotation] = value;
        return true;
    }

    private sealed record Stored(
        [property: JsonPropertyName("cidrBlock")] string? CidrBlock,
        [property: JsonPropertyName("gateway")] string? Gateway,
        [property: JsonPropertyName("excludeIps")] IList<string>? ExcludeIps,
        [property: JsonPropertyName("provider")] string? Provider,
        [property: JsonPropertyName("vpc")] string? Vpc,
        [property: JsonPropertyName("vlan")] string? Vlan);
}
