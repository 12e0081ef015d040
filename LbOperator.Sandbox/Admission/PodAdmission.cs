using System.Text.Json.Nodes;
using LbOperator.Sandbox.Api;
using LbOperator.Sandbox.Resources;

namespace LbOperator.Sandbox.Admission;

/// <summary>
/// Pods: PodSpec defaults plus what kube-apiserver's admission adds to pods only (service account, priority,
/// not-ready/unreachable tolerations, enableServiceLinks), status Pending with a QoS class on creation, and the
/// rule that a pod's spec is immutable but for images, activeDeadlineSeconds, added tolerations and binding.
/// </summary>
public sealed class PodAdmission(int defaultTolerationSeconds = 300) : IAdmissionPlugin
{
    private const string ImmutableMessage =
        "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

    public bool AppliesTo(ResourceDescriptor descriptor) => descriptor == BuiltInResources.Pods;

    public void Admit(AdmissionContext context)
    {
        if (context.Subresource == "status")
        {
            return;
        }

        var pod = context.NewObject;
        var spec = pod["spec"] as JsonObject;
        if (context.IsCreate)
        {
            PodSpecDefaults.Validate(spec, "spec", context.Errors);
            if (spec is null)
            {
                return;
            }

            PodSpecDefaults.Apply(spec);
            spec["enableServiceLinks"] ??= true;
            spec["serviceAccountName"] ??= Meta.AsString(spec["serviceAccount"]) ?? "default";
            spec["serviceAccount"] = spec["serviceAccountName"]!.DeepClone();
            spec["priority"] ??= 0;
            spec["preemptionPolicy"] ??= "PreemptLowerPriority";
            // DefaultTolerationSeconds: a pod without a toleration of this key (or an empty key) for NoExecute (or an
            // empty effect) gets a toleration with a time limit, so it is evicted from a dead node eventually.
            var tolerations = spec["tolerations"] as JsonArray ?? [];
            foreach (var key in new[] { "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable" })
            {
                if (!tolerations.OfType<JsonObject>().Any(t => ToleratesNoExecute(t, key)))
                {
                    tolerations.Add(new JsonObject { ["key"] = key, ["operator"] = "Exists", ["effect"] = "NoExecute", ["tolerationSeconds"] = defaultTolerationSeconds });
                }
            }

            spec["tolerations"] = tolerations;
            pod["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = QosClass(spec) };
            return;
        }

        // Scheme defaults apply to every write, as kube-apiserver defaults while decoding; admission ones only on create.
        if (spec is not null)
        {
            PodSpecDefaults.Apply(spec);
            spec["enableServiceLinks"] ??= true;
        }

        var old = context.OldObject!["spec"] as JsonObject;
        if (spec is null || old is null || !Meta.JsonEquals(Mutable(spec, old), Mutable(old, old)))
        {
            context.Errors.Add(FieldError.Forbidden("spec", ImmutableMessage));
        }
    }

    private static bool ToleratesNoExecute(JsonObject toleration, string key) =>
        Meta.AsString(toleration["effect"]) is null or "" or "NoExecute"
        && (Meta.AsString(toleration["key"]) is null or "" || Meta.AsString(toleration["key"]) == key);

    /// <summary>The spec with the fields an update may change blanked out.</summary>
    private static JsonObject Mutable(JsonObject spec, JsonObject old)
    {
        var copy = (JsonObject)spec.DeepClone();
        foreach (var list in new[] { "containers", "initContainers" })
        {
            foreach (var container in (copy[list] as JsonArray)?.OfType<JsonObject>() ?? [])
            {
                container.Remove("image");
            }
        }

        copy.Remove("activeDeadlineSeconds");
        copy.Remove("tolerations");
        if (string.IsNullOrEmpty(Meta.AsString(old["nodeName"])))
        {
            copy.Remove("nodeName");
        }

        return copy;
    }

    private static string QosClass(JsonObject spec)
    {
        var containers = (spec["containers"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var anyResources = containers.Any(c => c["resources"]?["requests"] is JsonObject { Count: > 0 } || c["resources"]?["limits"] is JsonObject { Count: > 0 });
        if (!anyResources)
        {
            return "BestEffort";
        }

        var guaranteed = containers.All(c =>
            c["resources"]?["limits"] is JsonObject limits && limits["cpu"] is not null && limits["memory"] is not null
            && (c["resources"]?["requests"] is not JsonObject requests || (Meta.JsonEquals(requests["cpu"] ?? limits["cpu"], limits["cpu"]) && Meta.JsonEquals(requests["memory"] ?? limits["memory"], limits["memory"]))));
        return guaranteed ? "Guaranteed" : "Burstable";
    }
}
