using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace LbOperator.Controllers;

/// <summary>
/// How a live gateway Deployment differs from the one the builder makes, field by field. Every field the builder
/// sets must have its value; every field the live object has beyond them is a difference too (someone added
/// <c>hostPID</c>, a hostPath volume, an env entry), unless it is one the API server fills in with its documented
/// default value (<see cref="ServerDefaults"/>) or the annotation <c>kubectl rollout restart</c> adds. So a restore
/// brings back the whole template, and the server's defaulting never causes a write.
/// </summary>
/// <remarks>
/// Both answers, the list of differences and the <see cref="Digest"/>, are taken from one normalised form of the spec
/// (those defaults and that annotation removed), so two specs have the same digest exactly when the list between them
/// is empty. The cache keeps the digest of a live gateway instead of its pod spec (<see cref="GatewayCache"/>).
/// </remarks>
public static class GatewayDrift
{
    /// <summary>
    /// What kube-apiserver sets on a Deployment where the builder leaves a field unset, and the value it sets, as
    /// JSON. Paths are relative to <c>spec</c>; <c>*</c> stands for any list index. A field listed here with another
    /// value (say <c>dnsPolicy: None</c>) is a difference.
    /// </summary>
    public static IReadOnlyList<(string Path, string Json)> ServerDefaults { get; } =
    [
        ("revisionHistoryLimit", "10"),
        ("progressDeadlineSeconds", "600"),
        ("template.spec.restartPolicy", "\"Always\""),
        ("template.spec.dnsPolicy", "\"ClusterFirst\""),
        ("template.spec.schedulerName", "\"default-scheduler\""),
        ("template.spec.securityContext", "{}"),
        ("template.spec.containers.*.terminationMessagePath", "\"/dev/termination-log\""),
        ("template.spec.containers.*.terminationMessagePolicy", "\"File\""),
        ("template.spec.initContainers.*.terminationMessagePath", "\"/dev/termination-log\""),
        ("template.spec.initContainers.*.terminationMessagePolicy", "\"File\""),
        ("template.spec.containers.*.readinessProbe.successThreshold", "1"),
    ];

    // Split once (after ServerDefaults: static fields start in textual order); the check runs for every field of
    // every spec the cache keeps.
    private static readonly (string[] Segments, string Json)[] DefaultPaths =
        [.. ServerDefaults.Select(d => (d.Path.Split('.'), d.Json))];

    /// <summary>The pod-template annotation <c>kubectl rollout restart</c> sets: kept, and kept on a restore.</summary>
    public const string RestartedAtAnnotation = "kubectl.kubernetes.io/restartedAt";

    /// <summary>The differences of <paramref name="live"/> from <paramref name="desired"/>, as readable paths; empty when none.</summary>
    public static IReadOnlyList<string> Differences(V1Deployment live, V1Deployment desired)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(desired);
        var differences = new List<string>();
        Compare(Normalised(live.Spec), Normalised(desired.Spec), ["spec"], differences);
        differences.AddRange(LabelDifferences(live, desired));
        return differences;
    }

    /// <summary>The labels <paramref name="desired"/> sets that <paramref name="live"/> lacks or has with another value (added ones are fine).</summary>
    public static IEnumerable<string> LabelDifferences(V1Deployment live, V1Deployment desired)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(desired);
        foreach (var (key, value) in desired.Metadata?.Labels ?? new Dictionary<string, string>())
        {
            if (live.Metadata?.Labels?.TryGetValue(key, out var have) != true || have != value)
            {
                yield return $"metadata.labels[\"{key}\"]";
            }
        }
    }

    /// <summary>
    /// A digest of <paramref name="spec"/> in its normalised form: equal for two specs exactly when
    /// <see cref="Differences"/> finds no difference in <c>spec</c> between them.
    /// </summary>
    public static string Digest(V1DeploymentSpec? spec)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (spec is null)
        {
            hash.AppendData("~"u8);
        }
        else
        {
            // Read-only and pooled, the document costs a fraction of a JsonNode tree: the cache takes a digest of
            // every gateway Deployment it is sent.
            using var document = JsonDocument.Parse(KubernetesJson.Serialize(spec));
            Canonical(document.RootElement, ["spec"], hash);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The spec as JSON without nulls, without the server defaults that have their default value and without the restart annotation.</summary>
    private static JsonNode? Normalised(V1DeploymentSpec? spec)
    {
        if (spec is null)
        {
            return null;
        }

        var node = JsonNode.Parse(KubernetesJson.Serialize(spec));
        Prune(node, ["spec"]);
        return node;
    }

    private static void Prune(JsonNode? node, List<string> path)
    {
        switch (node)
        {
            case JsonObject fields:
                foreach (var (key, value) in fields.ToList())
                {
                    path.Add(key);
                    if (IsLeftOut(path, value?.ToJsonString() ?? "null"))
                    {
                        fields.Remove(key);
                    }
                    else
                    {
                        Prune(value, path);
                    }

                    path.RemoveAt(path.Count - 1);
                }

                return;
            case JsonArray items:
                for (var i = 0; i < items.Count; i++)
                {
                    path.Add(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    Prune(items[i], path);
                    path.RemoveAt(path.Count - 1);
                }

                return;
        }
    }

    // The normalised form written out as Normalised makes it (the same nodes left out), keys in ordinal order, values by
    // their text as Compare sees them, every name and value behind its length so that none reads as another.
    private static void Canonical(JsonElement element, List<string> path, IncrementalHash hash)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                hash.AppendData("{"u8);
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    path.Add(property.Name);
                    if (!IsLeftOut(path, property.Value.GetRawText()))
                    {
                        Append(hash, property.Name);
                        Canonical(property.Value, path, hash);
                    }

                    path.RemoveAt(path.Count - 1);
                }

                hash.AppendData("}"u8);
                return;
            case JsonValueKind.Array:
                hash.AppendData("["u8);
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    path.Add(index++.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    Canonical(item, path, hash);
                    path.RemoveAt(path.Count - 1);
                }

                hash.AppendData("]"u8);
                return;
            case JsonValueKind.Null:
                hash.AppendData("~"u8);
                return;
            default:
                hash.AppendData("="u8);
                Append(hash, element.GetRawText().Trim('"'));
                return;
        }
    }

    private static void Append(IncrementalHash hash, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Span<byte> length = stackalloc byte[sizeof(int)];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }

    private static void Compare(JsonNode? live, JsonNode? desired, List<string> path, List<string> differences)
    {
        switch (desired)
        {
            case null when live is null:
                return;
            case null:
                differences.Add($"{Display(path)} added");
                return;
            case JsonObject wanted when live is JsonObject have:
                foreach (var (key, value) in wanted)
                {
                    path.Add(key);
                    Compare(have[key], value, path, differences);
                    path.RemoveAt(path.Count - 1);
                }

                foreach (var (key, _) in have.Where(p => !wanted.ContainsKey(p.Key)))
                {
                    path.Add(key);
                    differences.Add($"{Display(path)} added");
                    path.RemoveAt(path.Count - 1);
                }

                return;
            case JsonArray wanted when live is JsonArray have:
                for (var i = 0; i < Math.Max(wanted.Count, have.Count); i++)
                {
                    path.Add(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    Compare(i < have.Count ? have[i] : null, i < wanted.Count ? wanted[i] : null, path, differences);
                    path.RemoveAt(path.Count - 1);
                }

                return;
            case JsonValue wanted when live is JsonValue have && Text(have) == Text(wanted):
                return;
            default:
                differences.Add(live is null ? $"{Display(path)} missing" : $"{Display(path)} changed");
                return;
        }
    }

    /// <summary>What the normalised form leaves out, for both the field list and the digest: nulls and server defaults.</summary>
    private static bool IsLeftOut(List<string> path, string json) => json == "null" || IsServerDefault(path, json);

    private static bool IsServerDefault(List<string> path, string json)
    {
        if (path is ["spec", "template", "metadata", "annotations", RestartedAtAnnotation])
        {
            return true;
        }

        foreach (var (segments, defaultValue) in DefaultPaths)
        {
            if (Matches(segments, path))
            {
                return json == defaultValue;
            }
        }

        return false;
    }

    private static bool Matches(string[] segments, List<string> path)
    {
        if (segments.Length != path.Count - 1)
        {
            return false;
        }

        for (var i = 0; i < segments.Length; i++)
        {
            var step = path[i + 1];
            if (segments[i] == "*" ? !int.TryParse(step, out _) : segments[i] != step)
            {
                return false;
            }
        }

        return true;
    }

    // Quantities and numbers may come back as strings or numbers ("1" vs 1): compare their text.
    private static string Text(JsonValue value) => value.ToJsonString().Trim('"');

    private static string Display(List<string> path) =>
        string.Concat(path.Select((s, i) => int.TryParse(s, out _) ? $"[{s}]" : s.Contains('.', StringComparison.Ordinal) || s.Contains('/', StringComparison.Ordinal) ? $"[\"{s}\"]" : i == 0 ? s : "." + s));
}
