using System.Text.Json;
using System.Text.Json.Nodes;

namespace LbOperator.Sandbox.Validation;

/// <summary>
/// A JSON request body parsed the way kube-apiserver decodes it: a field given twice keeps its last value, and the
/// paths of such duplicates are kept for strict field validation (<see cref="JsonNode.Parse(string, JsonNodeOptions?, JsonDocumentOptions)"/>
/// would fail on them instead).
/// </summary>
public sealed record RequestBody(JsonNode? Node, IReadOnlyList<string> DuplicateFields)
{
    /// <exception cref="JsonException">The body is not valid JSON.</exception>
    public static RequestBody Parse(string json) => Parse(System.Text.Encoding.UTF8.GetBytes(json));

    /// <exception cref="JsonException">The body is not valid JSON.</exception>
    public static RequestBody Parse(ReadOnlyMemory<byte> json)
    {
        using var document = JsonDocument.Parse(json);
        var duplicates = new List<string>();
        return new RequestBody(Convert(document.RootElement, "", duplicates), duplicates);
    }

    private static JsonNode? Convert(JsonElement element, string path, List<string> duplicates)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new JsonObject();
                foreach (var property in element.EnumerateObject())
                {
                    var childPath = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                    if (obj.ContainsKey(property.Name))
                    {
                        duplicates.Add(childPath);
                    }

                    obj[property.Name] = Convert(property.Value, childPath, duplicates);
                }

                return obj;
            case JsonValueKind.Array:
                var array = new JsonArray();
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    array.Add(Convert(item, $"{path}[{index++}]", duplicates));
                }

                return array;
            case JsonValueKind.Null:
                return null;
            default:
                return JsonValue.Create(element.Clone());
        }
    }
}
