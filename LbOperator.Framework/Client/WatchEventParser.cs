using System.Text.Json;
using k8s;
using k8s.Models;

namespace LbOperator.Framework.Client;

/// <summary>Parses one line of a watch stream: <c>{"type": "...", "object": {...}}</c>.</summary>
internal static class WatchEventParser
{
    public static (WatchEventType Type, TEntity Entity) Parse<TEntity>(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        var typeName = root.TryGetProperty("type", out var typeElement) ? typeElement.GetString() : null;
        if (!root.TryGetProperty("object", out var objectElement))
        {
            throw new JsonException($"A watch event without an object: {Truncate(line)}");
        }

        var type = typeName switch
        {
            "ADDED" => WatchEventType.Added,
            "MODIFIED" => WatchEventType.Modified,
            "DELETED" => WatchEventType.Deleted,
            "BOOKMARK" => WatchEventType.Bookmark,
            "ERROR" => WatchEventType.Error,
            _ => throw new JsonException($"Unknown watch event type '{typeName}': {Truncate(line)}"),
        };
        if (type == WatchEventType.Error)
        {
            var status = KubernetesJson.Deserialize<V1Status>(objectElement);
            throw new KubernetesException(status);
        }

        var entity = KubernetesJson.Deserialize<TEntity>(objectElement)
            ?? throw new JsonException($"A watch event with an empty object: {Truncate(line)}");
        return (type, entity);
    }

    private static string Truncate(string line) => line.Length <= 200 ? line : line[..200] + "…";
}
