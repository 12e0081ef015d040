using System.Text.Json.Nodes;
using LbOperator.Sandbox.Resources;

namespace LbOperator.Sandbox.Api;

/// <summary>The <c>/scale</c> subresource of Deployments and ReplicaSets (autoscaling/v1 Scale), as <c>kubectl scale</c> uses it.</summary>
public static class ScaleSubresource
{
    public static bool Supports(ResourceDescriptor d) => d == BuiltInResources.Deployments || d == BuiltInResources.ReplicaSets;

    public static JsonObject ToScale(JsonObject obj)
    {
        var metadata = Meta.Metadata(obj);
        var selector = obj["spec"]?["selector"] as JsonObject;
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = metadata["name"]?.DeepClone(),
                ["namespace"] = metadata["namespace"]?.DeepClone(),
                ["uid"] = metadata["uid"]?.DeepClone(),
                ["resourceVersion"] = metadata["resourceVersion"]?.DeepClone(),
                ["creationTimestamp"] = metadata["creationTimestamp"]?.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = Meta.AsInteger(obj["spec"]?["replicas"]) ?? 0 },
            ["status"] = new JsonObject
            {
                ["replicas"] = Meta.AsInteger(obj["status"]?["replicas"]) ?? 0,
                ["selector"] = LabelSelector.FromObject(selector).ToString(),
            },
        };
    }

    /// <summary>Writes the Scale's spec.replicas to the object (honouring the Scale's resourceVersion, if any).</summary>
    public static JsonObject Apply(ResourceService service, ResourceDescriptor d, string? ns, string name, JsonObject scale, WriteOptions write)
    {
        var replicas = Meta.AsInteger(scale["spec"]?["replicas"]);
        if (replicas is null or < 0)
        {
            throw new ApiException(422, "Invalid", $"Scale.autoscaling \"{name}\" is invalid: spec.replicas: Invalid value: {scale["spec"]?["replicas"]?.ToJsonString() ?? "null"}: must be greater than or equal to 0");
        }

        var current = service.Get(d, ns, name);
        if (Meta.ResourceVersion(scale) is { Length: > 0 } rv && rv != Meta.ResourceVersion(current))
        {
            throw ApiErrors.StaleResourceVersion(d, name);
        }

        current["spec"]!["replicas"] = replicas.Value;
        return service.Update(d, ns, name, current, "", write);
    }
}
