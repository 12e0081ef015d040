using System.Text;
using System.Text.Json.Nodes;

namespace LbOperator.Sandbox.Printing;

/// <summary>
/// The JSONPath forms CRDs use in additionalPrinterColumns: <c>.spec.cidrBlock</c>, <c>.status.conditions[0].type</c>,
/// <c>.metadata.labels['app\.kubernetes\.io/name']</c>, <c>.spec.items[*].name</c>, optionally wrapped in <c>{}</c>.
/// </summary>
public static class SimpleJsonPath
{
    /// <summary>Every value the path selects (a <c>[*]</c> may select several); empty when nothing matches.</summary>
    /// <exception cref="FormatException">The path is not one of the supported forms.</exception>
    public static IReadOnlyList<JsonNode> Select(JsonNode? root, string path)
    {
        IEnumerable<JsonNode?> current = [root];
        foreach (var step in Parse(path))
        {
            current = step switch
            {
                Step.Field field => current.Select(n => (n as JsonObject)?[field.Name]),
                Step.Index index => current.Select(n => n is JsonArray a && Resolve(index.Value, a.Count) is var i && i >= 0 && i < a.Count ? a[i] : null),
                Step.All => current.SelectMany(n => n is JsonArray a ? a : []),
                _ => throw new FormatException(path),
            };
        }

        return [.. current.Where(n => n is not null).Select(n => n!)];
    }

    private static int Resolve(int index, int count) => index < 0 ? count + index : index;

    private static List<Step> Parse(string path)
    {
        var text = path.Trim();
        if (text.StartsWith('{') && text.EndsWith('}'))
        {
            text = text[1..^1];
        }

        if (text.StartsWith('$'))
        {
            text = text[1..];
        }

        var steps = new List<Step>();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '.')
            {
                i++;
                var name = new StringBuilder();
                while (i < text.Length && text[i] != '.' && text[i] != '[')
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        i++;
                    }

                    name.Append(text[i++]);
                }

                if (name.Length > 0)
                {
                    steps.Add(new Step.Field(name.ToString()));
                }
            }
            else if (text[i] == '[')
            {
                var end = text.IndexOf(']', i);
                if (end < 0)
                {
                    throw new FormatException($"unclosed '[' in JSONPath {path}");
                }

                var inner = text[(i + 1)..end].Trim();
                steps.Add(inner switch
                {
                    "*" => new Step.All(),
                    _ when inner.Length >= 2 && (inner[0] is '\'' or '"') => new Step.Field(inner[1..^1].Replace("\\.", ".", StringComparison.Ordinal)),
                    _ when int.TryParse(inner, System.Globalization.CultureInfo.InvariantCulture, out var n) => new Step.Index(n),
                    _ => throw new FormatException($"unsupported JSONPath index [{inner}] in {path}: use a number, * or a quoted name"),
                });
                i = end + 1;
            }
            else
            {
                throw new FormatException($"unsupported JSONPath {path}: expected '.' or '[' at position {i}");
            }
        }

        return steps;
    }

    private abstract record Step
    {
        public sealed record Field(string Name) : Step;

        public sealed record Index(int Value) : Step;

        public sealed record All : Step;
    }
}
