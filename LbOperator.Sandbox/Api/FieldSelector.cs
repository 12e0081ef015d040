using System.Text.Json.Nodes;

namespace LbOperator.Sandbox.Api;

/// <summary>
/// A parsed field selector (<c>metadata.name=x,status.phase!=Running</c>) restricted to the fields each kind
/// supports, as kube-apiserver restricts them; an unsupported field is a 400 BadRequest.
/// </summary>
public sealed class FieldSelector
{
    private static readonly string[] Common = ["metadata.name", "metadata.namespace"];

    private static readonly Dictionary<string, string[]> ByStorageKey = new(StringComparer.Ordinal)
    {
        ["/pods"] = ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"],
        ["/events"] = ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"],
        ["/namespaces"] = ["status.phase"],
        ["/secrets"] = ["type"],
        ["/nodes"] = ["spec.unschedulable"],
        ["/replicationcontrollers"] = ["status.replicas"],
        ["apps/replicasets"] = ["status.replicas"],
    };

    private readonly IReadOnlyList<(string Field, bool Equal, string Value)> _terms;

    private FieldSelector(IReadOnlyList<(string, bool, string)> terms) => _terms = terms;

    public static FieldSelector Everything { get; } = new([]);

    /// <summary>The exact name a <c>metadata.name=</c> term pins, for single-object watches.</summary>
    public string? Name => _terms.FirstOrDefault(t => t.Field == "metadata.name" && t.Equal).Value;

    public static FieldSelector Parse(string? text, string storageKey)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var allowed = Common.Concat(ByStorageKey.GetValueOrDefault(storageKey) ?? []).ToHashSet(StringComparer.Ordinal);
        var terms = new List<(string, bool, string)>();
        foreach (var raw in text.Split(','))
        {
            var term = raw.Trim();
            var (at, length, equal) = term.IndexOf("!=", StringComparison.Ordinal) is var ne and > 0 ? (ne, 2, false)
                : term.IndexOf("==", StringComparison.Ordinal) is var ee and > 0 ? (ee, 2, true)
                : term.IndexOf('=', StringComparison.Ordinal) is var e and > 0 ? (e, 1, true)
                : throw ApiErrors.BadRequest($"invalid field selector: {term}: requirement must be field=value, field==value or field!=value");
            var field = term[..at].Trim();
            if (!allowed.Contains(field))
            {
                throw ApiErrors.BadRequest($"field label not supported: {field}");
            }

            terms.Add((field, equal, term[(at + length)..].Trim()));
        }

        return new FieldSelector(terms);
    }

    public bool Matches(JsonObject obj) => _terms.All(t => (Value(obj, t.Field) == t.Value) == t.Equal);

    private static string Value(JsonObject obj, string field)
    {
        if (field == "source")
        {
            return Meta.AsString(obj["source"]?["component"]) ?? "";
        }

        JsonNode? node = obj;
        foreach (var part in field.Split('.'))
        {
            node = node is JsonObject o ? o[part] : null;
        }

        return node switch
        {
            null => "",
            JsonValue v when Meta.AsString(v) is { } s => s,
            _ => node.ToJsonString(),
        };
    }
}
