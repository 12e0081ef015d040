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

    /// <summary>The pod-template annotation <c>kubectl rollout restart</c> sets: kept, and kept on a restore.</summary>
    public const string RestartedAtAnnotation = "kubectl.kubernetes.io/restartedAt";

    /// <summary>The differences of <paramref name="live"/> from <paramref name="desired"/>, as readable paths; empty when none.</summary>
    public static IReadOnlyList<string> Differences(V1Deployment live, V1Deployment desired)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(desired);
        var differences = new List<string>();
        Compare(ToNode(live.Spec), ToNode(desired.Spec), ["spec"], differences);
        foreach (var (key, value) in desired.Metadata?.Labels ?? new Dictionary<string, string>())
        {
            if (live.Metadata?.Labels?.TryGetValue(key, out var have) != true || have != value)
            {
                differences.Add($"metadata.labels[\"{key}\"]");
            }
        }

        return differences;
    }

    private static JsonNode? ToNode(object? value) => value is null ? null : JsonNode.Parse(KubernetesJson.Serialize(value));

    private static void Compare(JsonNode? live, JsonNode? desired, List<string> path, List<string> differences)
    {
        switch (desired)
        {
            case null when live is null:
                return;
            case null:
                if (!IsServerDefault(path, live))
                {
                    differences.Add($"{Display(path)} added");
                }

                return;
            case JsonObject wanted when live is JsonObject have:
                foreach (var (key, value) in wanted)
                {
                    path.Add(key);
                    Compare(have[key], value, path, differences);
                    path.RemoveAt(path.Count - 1);
                }

                foreach (var (key, value) in have.Where(p => !wanted.ContainsKey(p.Key)))
                {
                    path.Add(key);
                    if (value is not null && !IsServerDefault(path, value))
                    {
                        differences.Add($"{Display(path)} added");
                    }

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

    private static bool IsServerDefault(List<string> path, JsonNode? value)
    {
        if (path is ["spec", "template", "metadata", "annotations", RestartedAtAnnotation])
        {
            return true;
        }

        foreach (var (pattern, defaultValue) in ServerDefaults)
        {
            var segments = pattern.Split('.');
            if (segments.Length == path.Count - 1
                && segments.Select((s, i) => s == "*" ? int.TryParse(path[i + 1], out _) : s == path[i + 1]).All(x => x))
            {
                return value?.ToJsonString() == defaultValue;
            }
        }

        return false;
    }

    // Quantities and numbers may come back as strings or numbers ("1" vs 1): compare their text.
    private static string Text(JsonValue value) => value.ToJsonString().Trim('"');

    private static string Display(List<string> path) =>
        string.Concat(path.Select((s, i) => int.TryParse(s, out _) ? $"[{s}]" : s.Contains('.', StringComparison.Ordinal) || s.Contains('/', StringComparison.Ordinal) ? $"[\"{s}\"]" : i == 0 ? s : "." + s));
}
