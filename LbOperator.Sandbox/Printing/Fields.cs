using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LbOperator.Sandbox.Printing;

/// <summary>Null-tolerant reads of nested fields of a JSON object, for printing.</summary>
internal static class Fields
{
    public static JsonNode? At(JsonNode? node, params string[] path)
    {
        foreach (var name in path)
        {
            node = (node as JsonObject)?[name];
        }

        return node;
    }

    public static string? Text(JsonNode? node, params string[] path) =>
        At(node, path) is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : At(node, path)?.ToJsonString();

    public static long Number(JsonNode? node, params string[] path) =>
        Meta.AsInteger(At(node, path)) ?? 0;

    public static JsonArray List(JsonNode? node, params string[] path) => At(node, path) as JsonArray ?? [];

    public static IEnumerable<JsonObject> Objects(JsonNode? node, params string[] path) => List(node, path).OfType<JsonObject>();

    public static string OrNone(string? text) => string.IsNullOrEmpty(text) ? "<none>" : text;

    /// <summary><c>a=1,b=2</c> sorted by key, or <c>&lt;none&gt;</c>.</summary>
    public static string Labels(JsonNode? map) =>
        map is JsonObject obj && obj.Count > 0
            ? string.Join(',', obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={Text(p.Value)}"))
            : "<none>";

    public static string Invariant(long n) => n.ToString(CultureInfo.InvariantCulture);
}
