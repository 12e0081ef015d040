using System.Text.Json.Nodes;
using LbOperator.Sandbox.Api;

namespace LbOperator.Sandbox.Admission;

/// <summary>What Secrets and ConfigMaps share: key rules, the 1 MiB limit, and <c>immutable: true</c>.</summary>
internal static class DataMaps
{
    /// <summary>core.MaxSecretSize, which also bounds a ConfigMap.</summary>
    public const int MaxSize = 1024 * 1024;

    public const string ImmutableDetail = "field is immutable when `immutable` is set";

    /// <summary>The entries of map <paramref name="node"/>, with their size in bytes (base64 values decoded).</summary>
    public static IReadOnlyList<(string Key, int Size)> Entries(JsonNode? node, bool base64) =>
        node is JsonObject map
            ? [.. map.Select(kv => (kv.Key, Size(Meta.AsString(kv.Value) ?? "", base64)))]
            : [];

    /// <summary>Invalid keys of map <paramref name="field"/> (<c>data[bad key]</c>).</summary>
    public static void CheckKeys(IEnumerable<(string Key, int Size)> entries, string field, List<FieldError> errors)
    {
        foreach (var (key, _) in entries)
        {
            foreach (var problem in NameRules.ConfigMapKey(key))
            {
                errors.Add(FieldError.Invalid($"{field}[{key}]", key, problem));
            }
        }
    }

    /// <summary>Once <c>immutable</c> is true it stays true and <paramref name="fields"/> stay as they are.</summary>
    public static void CheckImmutable(JsonObject obj, JsonObject? old, IEnumerable<string> fields, List<FieldError> errors)
    {
        if (old is null || !Meta.AsBool(old["immutable"]))
        {
            return;
        }

        if (!Meta.AsBool(obj["immutable"]))
        {
            errors.Add(FieldError.Forbidden("immutable", ImmutableDetail));
        }

        foreach (var field in fields)
        {
            if (!SameMap(obj[field], old[field]))
            {
                errors.Add(FieldError.Forbidden(field, ImmutableDetail));
            }
        }
    }

    private static bool SameMap(JsonNode? a, JsonNode? b) =>
        Meta.JsonEquals(a is JsonObject { Count: > 0 } ? a : null, b is JsonObject { Count: > 0 } ? b : null);

    private static int Size(string value, bool base64)
    {
        if (!base64)
        {
            return System.Text.Encoding.UTF8.GetByteCount(value);
        }

        // Decoding has already canonicalised the value; its padding tells the decoded length.
        var padding = value.EndsWith("==", StringComparison.Ordinal) ? 2 : value.EndsWith('=') ? 1 : 0;
        return (value.Length / 4 * 3) - padding;
    }
}
