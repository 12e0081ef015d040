using System.Text.Json.Nodes;
using LbOperator.Sandbox.Api;

namespace LbOperator.Sandbox.Admission;

/// <summary>The defaults kube-apiserver gives every PodSpec (pods and pod templates alike), and its basic checks.</summary>
public static class PodSpecDefaults
{
    private static readonly string[] RestartPolicies = ["Always", "OnFailure", "Never"];

    public static void Apply(JsonObject spec)
    {
        spec["restartPolicy"] ??= "Always";
        spec["terminationGracePeriodSeconds"] ??= 30;
        spec["dnsPolicy"] ??= "ClusterFirst";
        spec["securityContext"] ??= new JsonObject();
        spec["schedulerName"] ??= "default-scheduler";
        foreach (var list in new[] { "containers", "initContainers" })
        {
            foreach (var container in (spec[list] as JsonArray)?.OfType<JsonObject>() ?? [])
            {
                ApplyContainer(container);
            }
        }

        foreach (var volume in (spec["volumes"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            foreach (var source in new[] { "configMap", "secret", "projected", "downwardAPI" })
            {
                if (volume[source] is JsonObject s)
                {
                    s["defaultMode"] ??= 420;
                }
            }
        }
    }

    private static void ApplyContainer(JsonObject container)
    {
        container["terminationMessagePath"] ??= "/dev/termination-log";
        container["terminationMessagePolicy"] ??= "File";
        container["resources"] ??= new JsonObject();
        if (container["imagePullPolicy"] is null && Meta.AsString(container["image"]) is { } image)
        {
            container["imagePullPolicy"] = PullsAlways(image) ? "Always" : "IfNotPresent";
        }

        foreach (var port in (container["ports"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            port["protocol"] ??= "TCP";
        }

        foreach (var env in (container["env"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            if (env["valueFrom"]?["fieldRef"] is JsonObject fieldRef)
            {
                fieldRef["apiVersion"] ??= "v1";
            }
        }

        foreach (var probe in new[] { "livenessProbe", "readinessProbe", "startupProbe" })
        {
            if (container[probe] is JsonObject p)
            {
                p["timeoutSeconds"] ??= 1;
                p["periodSeconds"] ??= 10;
                p["successThreshold"] ??= 1;
                p["failureThreshold"] ??= 3;
                if (p["httpGet"] is JsonObject http)
                {
                    http["scheme"] ??= "HTTP";
                }
            }
        }
    }

    /// <summary>An image without a tag or with tag <c>latest</c> (and no digest) is pulled every time.</summary>
    private static bool PullsAlways(string image)
    {
        if (image.Contains('@', StringComparison.Ordinal))
        {
            return false;
        }

        var lastSegment = image[(image.LastIndexOf('/') + 1)..];
        var colon = lastSegment.LastIndexOf(':');
        return colon < 0 || lastSegment[(colon + 1)..] == "latest";
    }

    public static void Validate(JsonObject? spec, string path, List<FieldError> errors)
    {
        if (spec is null)
        {
            errors.Add(FieldError.Required(path));
            return;
        }

        var containers = (spec["containers"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        if (containers.Count == 0)
        {
            errors.Add(FieldError.Required($"{path}.containers"));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (list, items) in new[] { ("containers", containers), ("initContainers", (spec["initContainers"] as JsonArray)?.OfType<JsonObject>().ToList() ?? []) })
        {
            for (var i = 0; i < items.Count; i++)
            {
                var name = Meta.AsString(items[i]["name"]) ?? "";
                if (name.Length == 0)
                {
                    errors.Add(FieldError.Required($"{path}.{list}[{i}].name"));
                }
                else
                {
                    foreach (var problem in NameRules.Dns1123Label(name))
                    {
                        errors.Add(FieldError.Invalid($"{path}.{list}[{i}].name", name, problem));
                    }

                    if (!names.Add(name))
                    {
                        errors.Add(FieldError.Duplicate($"{path}.{list}[{i}].name", JsonValue.Create(name)));
                    }
                }

                if (string.IsNullOrWhiteSpace(Meta.AsString(items[i]["image"])))
                {
                    errors.Add(FieldError.Required($"{path}.{list}[{i}].image"));
                }
            }
        }

        if (spec["restartPolicy"] is { } restart && !RestartPolicies.Contains(Meta.AsString(restart)))
        {
            errors.Add(FieldError.NotSupported($"{path}.restartPolicy", restart, RestartPolicies));
        }
    }
}
