using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LbOperator.Sandbox;

/// <summary>Reads and writes the metadata of an object held as JSON.</summary>
public static class Meta
{
    public static JsonObject Metadata(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject metadata)
        {
            return metadata;
        }

        metadata = [];
        obj["metadata"] = metadata;
        return metadata;
    }

    public static string? Name(JsonObject obj) => AsString(obj["metadata"]?["name"]);

    public static string? Namespace(JsonObject obj) => AsString(obj["metadata"]?["namespace"]);

    public static string? Uid(JsonObject obj) => AsString(obj["metadata"]?["uid"]);

    public static string? ResourceVersion(JsonObject obj) => AsString(obj["metadata"]?["resourceVersion"]);

    public static string? DeletionTimestamp(JsonObject obj) => AsString(obj["metadata"]?["deletionTimestamp"]);

    public static bool IsDeleting(JsonObject obj) => DeletionTimestamp(obj) is not null;

    public static long Generation(JsonObject obj) => AsInteger(obj["metadata"]?["generation"]) ?? 0;

    public static IReadOnlyDictionary<string, string> Labels(JsonObject obj) => StringMap(obj["metadata"]?["labels"]);

    public static IReadOnlyDictionary<string, string> StringMap(JsonNode? node) =>
        node is JsonObject map
            ? map.Where(kv => kv.Value is JsonValue).ToDictionary(kv => kv.Key, kv => kv.Value!.ToString(), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

    public static IReadOnlyList<string> Finalizers(JsonObject obj) =>
        obj["metadata"]?["finalizers"] is JsonArray a ? [.. a.Select(f => f?.ToString() ?? "")] : [];

    public static void SetFinalizers(JsonObject obj, IEnumerable<string> finalizers)
    {
        var list = finalizers.ToList();
        if (list.Count == 0)
        {
            Metadata(obj).Remove("finalizers");
        }
        else
        {
            Metadata(obj)["finalizers"] = new JsonArray([.. list.Select(f => (JsonNode)JsonValue.Create(f))]);
        }
    }

    public static IReadOnlyList<JsonObject> OwnerReferences(JsonObject obj) =>
        obj["metadata"]?["ownerReferences"] is JsonArray a ? [.. a.OfType<JsonObject>()] : [];

    public static string? AsString(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public static bool AsBool(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    /// <summary>The value of a JSON number without a fraction (whatever .NET type backs the node), else null.</summary>
    public static long? AsInteger(JsonNode? node) =>
        AsDouble(node) is { } d && d == Math.Floor(d) && Math.Abs(d) < 9.2e18 ? (long)d : null;

    /// <summary>The value of a JSON number (whatever .NET type backs the node), else null.</summary>
    public static double? AsDouble(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
        && double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    /// <summary>RFC 3339 with second precision, the form Kubernetes writes metav1.Time in.</summary>
    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>RFC 3339 with microseconds, the form of metav1.MicroTime (leases, events.k8s.io eventTime).</summary>
    public static string MicroTimestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static JsonObject Clone(JsonObject obj) => (JsonObject)obj.DeepClone();

    /// <summary>Structural equality of two JSON values, ignoring object member order.</summary>
    public static bool JsonEquals(JsonNode? a, JsonNode? b) => JsonNode.DeepEquals(a, b);
}
