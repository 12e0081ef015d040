using System.Globalization;
using System.Text.Json.Nodes;

namespace LbOperator.Sandbox.Api;

/// <summary>RFC 6902 JSON patch: add, remove, replace, move, copy, test over RFC 6901 pointers.</summary>
public static class JsonPatch
{
    public static JsonObject Apply(JsonObject target, JsonArray operations)
    {
        JsonNode root = target.DeepClone();
        foreach (var op in operations)
        {
            if (op is not JsonObject operation)
            {
                throw Bad("each operation must be an object");
            }

            var kind = Meta.AsString(operation["op"]) ?? throw Bad("operation without \"op\"");
            var path = Meta.AsString(operation["path"]) ?? throw Bad($"{kind} operation without \"path\"");
            switch (kind)
            {
                case "add":
                    root = Add(root, path, Value(operation, kind));
                    break;
                case "remove":
                    root = Remove(root, path, out _);
                    break;
                case "replace":
                    root = Remove(root, path, out _);
                    root = Add(root, path, Value(operation, kind));
                    break;
                case "move":
                    {
                        var from = Meta.AsString(operation["from"]) ?? throw Bad("move operation without \"from\"");
                        root = Remove(root, from, out var moved);
                        root = Add(root, path, moved);
                        break;
                    }

                case "copy":
                    {
                        var from = Meta.AsString(operation["from"]) ?? throw Bad("copy operation without \"from\"");
                        root = Add(root, path, Find(root, from)?.DeepClone());
                        break;
                    }

                case "test":
                    if (!Meta.JsonEquals(Find(root, path), operation["value"]))
                    {
                        throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: testing value {path} failed");
                    }

                    break;
                default:
                    throw Bad($"unexpected kind of operation: {kind}");
            }
        }

        return root as JsonObject ?? throw Bad("the patch replaced the whole object with a non-object");
    }

    private static JsonNode? Value(JsonObject operation, string kind) =>
        operation.TryGetPropertyValue("value", out var v) ? v?.DeepClone() : throw Bad($"{kind} operation without \"value\"");

    private static List<string> Tokens(string path)
    {
        if (path.Length == 0)
        {
            return [];
        }

        if (path[0] != '/')
        {
            throw Bad($"invalid JSON pointer \"{path}\"");
        }

        return [.. path[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];
    }

    private static JsonNode? Find(JsonNode root, string path)
    {
        JsonNode? node = root;
        foreach (var token in Tokens(path))
        {
            node = node switch
            {
                JsonObject o when o.TryGetPropertyValue(token, out var child) => child,
                JsonArray a when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
                _ => throw Bad($"path \"{path}\" does not exist"),
            };
        }

        return node;
    }

    private static (JsonNode Parent, string Last) Parent(JsonNode root, string path)
    {
        var tokens = Tokens(path);
        var parentPath = string.Concat(tokens.SkipLast(1).Select(t => "/" + t.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)));
        var parent = Find(root, parentPath) ?? throw Bad($"path \"{path}\" has no parent");
        return (parent, tokens[^1]);
    }

    private static JsonNode Add(JsonNode root, string path, JsonNode? value)
    {
        if (path.Length == 0)
        {
            return value ?? throw Bad("cannot replace the whole object with null");
        }

        var (parent, last) = Parent(root, path);
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i <= a.Count:
                a.Insert(i, value);
                break;
            default:
                throw Bad($"cannot add at \"{path}\"");
        }

        return root;
    }

    private static JsonNode Remove(JsonNode root, string path, out JsonNode? removed)
    {
        var (parent, last) = Parent(root, path);
        switch (parent)
        {
            case JsonObject o when o.TryGetPropertyValue(last, out removed):
                o.Remove(last);
                break;
            case JsonArray a when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count:
                removed = a[i];
                a.RemoveAt(i);
                break;
            default:
                throw Bad($"unable to remove nonexistent key: {path}: missing value");
        }

        return root;
    }

    private static ApiException Bad(string message) => new(422, "Invalid", $"the server rejected our request due to an error in our request: {message}");
}
