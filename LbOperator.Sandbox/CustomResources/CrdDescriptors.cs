using System.Text.Json.Nodes;
using LbOperator.Sandbox.Resources;
using LbOperator.Sandbox.Storage;

namespace LbOperator.Sandbox.CustomResources;

/// <summary>
/// Serves custom resources: each committed CustomResourceDefinition puts one descriptor per served version into
/// the registry (synchronously, so a client may create resources right after the CRD), and a deleted one takes
/// them out.
/// </summary>
public static class CrdDescriptors
{
    public static void Attach(ObjectStore store, ResourceRegistry registry)
    {
        var crdKey = ResourceRegistry.StorageKey(BuiltInResources.CustomResourceDefinitions);
        store.AddCommitHook(change =>
        {
            if (change.StorageKey != crdKey)
            {
                return;
            }

            var spec = change.Latest["spec"] as JsonObject ?? [];
            var group = Meta.AsString(spec["group"]) ?? "";
            var plural = Meta.AsString(spec["names"]?["plural"]) ?? "";
            registry.ReplaceResource(group, plural, change.Type == StoreEventType.Deleted ? [] : From(change.Latest));
        });
    }

    /// <summary>The descriptors a CRD stands for, one per served version.</summary>
    public static IEnumerable<ResourceDescriptor> From(JsonObject crd)
    {
        var spec = crd["spec"] as JsonObject ?? [];
        var names = spec["names"] as JsonObject ?? [];
        var kind = Meta.AsString(names["kind"]) ?? "";
        foreach (var version in (spec["versions"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            if (!Meta.AsBool(version["served"]))
            {
                continue;
            }

            var columns = (version["additionalPrinterColumns"] as JsonArray)?.OfType<JsonObject>().Select(c => new PrinterColumn(
                Meta.AsString(c["name"]) ?? "",
                Meta.AsString(c["type"]) ?? "string",
                Meta.AsString(c["jsonPath"]) ?? "",
                Meta.AsString(c["description"]),
                (int)(Meta.AsInteger(c["priority"]) ?? 0),
                Meta.AsString(c["format"]))).ToList() ?? [];
            yield return new ResourceDescriptor(
                Meta.AsString(spec["group"]) ?? "",
                Meta.AsString(version["name"]) ?? "",
                kind,
                Meta.AsString(names["plural"]) ?? "",
                Meta.AsString(names["singular"]) ?? kind.ToLowerInvariant(),
                Meta.AsString(spec["scope"]) != "Cluster",
                Strings(names["shortNames"]),
                BuiltInResources.AllVerbs,
                version["subresources"]?["status"] is not null,
                columns,
                version["schema"]?["openAPIV3Schema"]?.DeepClone() as JsonObject ?? [],
                Strings(names["categories"]));
        }
    }

    private static List<string> Strings(JsonNode? node) => node is JsonArray a ? [.. a.Select(x => x?.ToString() ?? "")] : [];
}
