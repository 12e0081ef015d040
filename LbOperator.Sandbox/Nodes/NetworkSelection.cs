using System.Text.Json;

namespace LbOperator.Sandbox.Nodes;

/// <summary>One extra network a pod asks for, as Multus reads it: the NetworkAttachmentDefinition and the interface name.</summary>
public sealed record NetworkAttachment(string Namespace, string Name, string InterfaceName);

/// <summary>
/// Parses the pod annotation <c>k8s.v1.cni.cncf.io/networks</c> in both forms Multus accepts: a comma-separated
/// list of <c>[namespace/]name[@interface]</c>, or a JSON list of objects with <c>name</c>, <c>namespace</c> and
/// <c>interface</c>. Interfaces without a name get net1, net2, … in order, as Multus names them.
/// </summary>
public static class NetworkSelection
{
    public const string Annotation = "k8s.v1.cni.cncf.io/networks";

    public static IReadOnlyList<NetworkAttachment> Parse(string? value, string podNamespace)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return [];
        }
        var trimmed = value.Trim();
        var entries = trimmed.StartsWith('[') ? ParseJson(trimmed, podNamespace) : ParseList(trimmed, podNamespace);
        var attachments = entries
            .Select((entry, index) => new NetworkAttachment(entry.Namespace, entry.Name, entry.InterfaceName ?? $"net{index + 1}"))
            .ToList();
        foreach (var attachment in attachments)
        {
            if (attachment.InterfaceName.Length is 0 or > 15 || attachment.InterfaceName.Any(c => c is '/' or ' ' or ':'))
            {
                throw new FormatException($"annotation {Annotation}: interface name '{attachment.InterfaceName}' is not a valid Linux interface name (1-15 characters, no '/', ':' or spaces)");
            }
        }
        var duplicate = attachments.GroupBy(a => a.InterfaceName).FirstOrDefault(g => g.Count() > 1);
        return duplicate is not null
            ? throw new FormatException($"annotation {Annotation}: interface '{duplicate.Key}' is requested more than once")
            : attachments;
    }

    private static IEnumerable<(string Namespace, string Name, string? InterfaceName)> ParseList(string value, string podNamespace)
    {
        foreach (var item in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (reference, interfaceName) = item.Split('@', 2) is [var r, var i] ? (r, i) : (item, null);
            var (ns, name) = reference.Split('/', 2) is [var n, var m] ? (n, m) : (podNamespace, reference);
            if (ns.Length == 0 || name.Length == 0)
            {
                throw new FormatException($"annotation {Annotation}: '{item}' is not [namespace/]name[@interface]");
            }
            yield return (ns, name, interfaceName);
        }
    }

    private static IEnumerable<(string Namespace, string Name, string? InterfaceName)> ParseJson(string value, string podNamespace)
    {
        JsonElement[] elements;
        try
        {
            elements = JsonSerializer.Deserialize<JsonElement[]>(value) ?? [];
        }
        catch (JsonException e)
        {
            throw new FormatException($"annotation {Annotation}: not a JSON list of network selections: {e.Message}");
        }
        foreach (var element in elements)
        {
            if (element.ValueKind != JsonValueKind.Object
                || !element.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String || name.GetString()!.Length == 0)
            {
                throw new FormatException($"annotation {Annotation}: every entry needs a \"name\" string, got {element.GetRawText()}");
            }
            var ns = element.TryGetProperty("namespace", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : podNamespace;
            var interfaceName = element.TryGetProperty("interface", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
            yield return (ns, name.GetString()!, interfaceName);
        }
    }
}
