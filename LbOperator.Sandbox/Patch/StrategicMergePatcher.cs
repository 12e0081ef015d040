using System.Text.Json.Nodes;
using LbOperator.Sandbox.Api;
using LbOperator.Sandbox.Schema;

namespace LbOperator.Sandbox.Patch;

/// <summary>
/// Applies a Kubernetes strategic merge patch (<c>application/strategic-merge-patch+json</c>) to a built-in object.
/// Maps merge field by field and <c>null</c> deletes a field; lists tagged with a merge key merge element by element
/// (Service ports by <c>port</c>, containers by <c>name</c>, ...); primitive lists tagged <c>merge</c> (finalizers)
/// merge as sets; every other list is replaced. Honours the directives <c>$patch</c> (replace, delete, merge),
/// <c>$retainKeys</c>, <c>$setElementOrder/&lt;list&gt;</c> and <c>$deleteFromPrimitiveList/&lt;list&gt;</c>.
/// The inputs are not modified.
/// </summary>
public sealed class StrategicMergePatcher(KubernetesModelCatalog catalog) : IStrategicMergePatcher
{
    private const string PatchDirective = "$patch";
    private const string RetainKeysDirective = "$retainKeys";
    private const string SetElementOrderPrefix = "$setElementOrder/";
    private const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/";

    /// <summary>The object <paramref name="original"/> with <paramref name="patch"/> applied.</summary>
    /// <param name="modelType">The KubernetesClient model type of the object, e.g. <c>typeof(V1Service)</c>.</param>
    /// <exception cref="PatchException">The patch is malformed (unknown directive, list element without its merge key).</exception>
    public JsonObject Apply(JsonObject original, JsonObject patch, Type modelType)
    {
        var merged = MergeObject((JsonObject)original.DeepClone(), patch, new ObjectShape(modelType), "");
        return merged ?? throw new PatchException("a patch with \"$patch\": \"delete\" at the top level cannot delete the whole object");
    }

    /// <summary>The API server's entry: patches a built-in kind, answering 400 for a malformed patch.</summary>
    public JsonObject Apply(ResourceDescriptor descriptor, JsonObject original, JsonObject patch)
    {
        var modelType = catalog.ModelTypeFor(descriptor)
            ?? throw ApiErrors.UnsupportedMediaType("application/strategic-merge-patch+json");
        try
        {
            return Apply(original, patch, modelType);
        }
        catch (PatchException e)
        {
            throw ApiErrors.BadRequest(e.Message);
        }
    }

    /// <summary>Merges <paramref name="patch"/> into <paramref name="target"/> (modified in place); null means "delete".</summary>
    private JsonObject? MergeObject(JsonObject target, JsonObject patch, ValueShape shape, string path)
    {
        switch (patch[PatchDirective]?.GetValue<string>())
        {
            case null or "merge":
                break;
            case "replace":
                var replacement = new JsonObject();
                patch = WithoutDirective(patch, PatchDirective);
                return MergeObject(replacement, patch, shape, path);
            case "delete":
                return null;
            case var other:
                throw new PatchException($"unknown patch directive \"{other}\" at {Describe(path)}: accepted are replace, delete and merge");
        }

        foreach (var (key, value) in patch)
        {
            if (key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
            {
                var field = key[DeleteFromPrimitiveListPrefix.Length..];
                if (target[field] is JsonArray list && value is JsonArray doomed)
                {
                    RemoveWhere(list, item => doomed.Any(d => JsonNode.DeepEquals(d, item)));
                }
            }
        }

        foreach (var (key, value) in patch)
        {
            if (IsDirective(key))
            {
                continue;
            }

            var childPath = Join(path, key);
            if (value is null)
            {
                target.Remove(key);
                continue;
            }

            var (childShape, strategy) = FieldOf(shape, key);
            var current = target[key];
            var merged = MergeValue(current, value, childShape, strategy, childPath);
            if (merged is null)
            {
                target.Remove(key);
            }
            else if (!ReferenceEquals(merged, current))
            {
                target[key] = merged;
            }
        }

        foreach (var (key, value) in patch)
        {
            if (key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal) && value is JsonArray order)
            {
                var field = key[SetElementOrderPrefix.Length..];
                if (target[field] is JsonArray list)
                {
                    Reorder(list, order, FieldOf(shape, field).Strategy.MergeKey);
                }
            }
        }

        if (patch[RetainKeysDirective] is JsonArray retained)
        {
            var keep = retained.Select(k => k?.GetValue<string>()).ToHashSet();
            foreach (var key in target.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
            {
                target.Remove(key);
            }
        }

        return target;
    }

    private JsonNode? MergeValue(JsonNode? current, JsonNode patch, ValueShape shape, PatchStrategy strategy, string path) => patch switch
    {
        JsonObject patchObject => MergeObject(current as JsonObject ?? [], patchObject, shape, path),
        JsonArray patchList when strategy.Merge && shape is ListShape list =>
            MergeList(current as JsonArray ?? [], patchList, list.Item, strategy.MergeKey, path),
        _ => patch.DeepClone(),
    };

    private JsonArray MergeList(JsonArray target, JsonArray patch, ValueShape itemShape, string? mergeKey, string path)
    {
        if (mergeKey is null)
        {
            foreach (var item in patch)
            {
                if (!target.Any(existing => JsonNode.DeepEquals(existing, item)))
                {
                    target.Add(item?.DeepClone());
                }
            }

            return target;
        }

        if (patch.OfType<JsonObject>().Any(e => e[PatchDirective]?.GetValue<string>() == "replace"))
        {
            var replaced = new JsonArray();
            foreach (var element in patch.OfType<JsonObject>().Where(e => e[PatchDirective] is null))
            {
                replaced.Add(MergeObject([], element, itemShape, path));
            }

            return replaced;
        }

        for (var i = 0; i < patch.Count; i++)
        {
            if (patch[i] is not JsonObject element)
            {
                throw new PatchException($"{Describe(path)}: list elements must be objects with the merge key \"{mergeKey}\", got {patch[i]?.ToJsonString() ?? "null"}");
            }

            var key = element[mergeKey];
            var directive = element[PatchDirective]?.GetValue<string>();
            if (key is null)
            {
                throw new PatchException($"{Describe(path)}[{i}]: the element {element.ToJsonString()} does not contain the merge key \"{mergeKey}\"");
            }

            var index = IndexOf(target, mergeKey, key);
            if (directive == "delete")
            {
                RemoveWhere(target, e => e is JsonObject o && JsonNode.DeepEquals(o[mergeKey], key));
                continue;
            }

            if (index < 0)
            {
                target.Add(MergeObject([], element, itemShape, $"{path}[{i}]"));
            }
            else
            {
                var existing = (JsonObject)target[index]!;
                var merged = MergeObject(existing, element, itemShape, $"{path}[{i}]");
                if (merged is null)
                {
                    target.RemoveAt(index);
                }
                else if (!ReferenceEquals(merged, existing))
                {
                    target[index] = merged;
                }
            }
        }

        return target;
    }

    /// <summary>Puts the elements named in a <c>$setElementOrder</c> list first, in that order; the rest keep theirs.</summary>
    private static void Reorder(JsonArray list, JsonArray order, string? mergeKey)
    {
        JsonNode? KeyOf(JsonNode? node) => mergeKey is null ? node : (node as JsonObject)?[mergeKey];
        var items = list.Select(item => item?.DeepClone()).ToList();
        var ordered = new List<JsonNode?>();
        foreach (var wanted in order)
        {
            var wantedKey = KeyOf(wanted);
            var match = items.FindIndex(item => JsonNode.DeepEquals(KeyOf(item), wantedKey));
            if (match >= 0)
            {
                ordered.Add(items[match]);
                items.RemoveAt(match);
            }
        }

        ordered.AddRange(items);
        list.Clear();
        foreach (var item in ordered)
        {
            list.Add(item);
        }
    }

    private (ValueShape Shape, PatchStrategy Strategy) FieldOf(ValueShape shape, string key) => shape switch
    {
        ObjectShape objectShape when catalog.Shape(objectShape.ModelType).Fields.TryGetValue(key, out var field) => (field.Value, field.Patch),
        MapShape map => (map.Value, PatchStrategy.Replace),
        _ => (new AnyShape(), PatchStrategy.Replace),
    };

    private static int IndexOf(JsonArray list, string mergeKey, JsonNode key)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is JsonObject element && JsonNode.DeepEquals(element[mergeKey], key))
            {
                return i;
            }
        }

        return -1;
    }

    private static void RemoveWhere(JsonArray list, Func<JsonNode?, bool> doomed)
    {
        for (var i = list.Count - 1; i >= 0; i--)
        {
            if (doomed(list[i]))
            {
                list.RemoveAt(i);
            }
        }
    }

    private static bool IsDirective(string key) =>
        key is PatchDirective or RetainKeysDirective
        || key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal)
        || key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal);

    private static JsonObject WithoutDirective(JsonObject patch, string directive)
    {
        var copy = (JsonObject)patch.DeepClone();
        copy.Remove(directive);
        return copy;
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static string Describe(string path) => path.Length == 0 ? "the top level" : path;
}
