using System.Text.Json.Nodes;
using k8s;

namespace LbOperator.Framework.Entities;

/// <summary>
/// Whether an object read from the API server still carries everything the operator asked for: every field set in
/// the desired object has the same value in the actual one. Fields the server defaults (and desired leaves unset)
/// are ignored; lists must have the same length and match item by item. So an edit of any field the operator owns
/// is noticed, and the server's defaulting never causes a write.
/// </summary>
public static class JsonSubset
{
    public static bool Contains(object? actual, object? desired) =>
        Covers(ToNode(actual), ToNode(desired));

    private static JsonNode? ToNode(object? value) =>
        value is null ? null : JsonNode.Parse(KubernetesJson.Serialize(value));

    private static bool Covers(JsonNode? actual, JsonNode? desired) => desired switch
    {
        null => true,
        JsonObject wanted => actual is JsonObject have && wanted.All(p => p.Value is null || Covers(have[p.Key], p.Value)),
        JsonArray wanted => actual is JsonArray have && have.Count == wanted.Count && wanted.Select((w, i) => Covers(have[i], w)).All(x => x),
        JsonValue wanted => actual is JsonValue have && JsonNode.DeepEquals(Normalize(have), Normalize(wanted)),
        _ => false,
    };

    // Quantities and numbers may come back as strings or numbers ("1" vs 1): compare their text.
    private static JsonValue Normalize(JsonValue value) =>
        JsonValue.Create(value.ToJsonString().Trim('"'));
}
