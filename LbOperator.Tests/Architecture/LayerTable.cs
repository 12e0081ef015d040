using System.Text.RegularExpressions;
using LbOperator.Tests.Testing;

namespace LbOperator.Tests.Architecture;

/// <summary>One row of the allowed-arrows table: a layer, the namespace prefixes that belong to it, the layers it may use.</summary>
internal sealed record Layer(string Name, IReadOnlyList<string> Namespaces, IReadOnlyList<string> MayUse);

/// <summary>
/// The allowed arrows between the code's layers, read from docs/architecture.md (between the <c>layers:begin</c> and
/// <c>layers:end</c> markers), so the rule is written once and the document cannot drift from what is enforced.
/// </summary>
internal sealed partial class LayerTable
{
    private LayerTable(IReadOnlyList<Layer> layers) => Layers = layers;

    public IReadOnlyList<Layer> Layers { get; }

    /// <summary>The layers whose code is pure: objects in, objects and text out.</summary>
    public static IReadOnlyList<string> PureLayers { get; } = ["ipam", "rules", "gateway"];

    public static LayerTable Load()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "architecture.md"));
        var begin = text.IndexOf("<!-- layers:begin -->", StringComparison.Ordinal);
        var end = text.IndexOf("<!-- layers:end -->", StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            throw new InvalidOperationException("docs/architecture.md has no layers:begin/layers:end table");
        }

        var layers = new List<Layer>();
        foreach (var line in text[begin..end].Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith('|')))
        {
            var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            if (cells.Length != 3 || cells[0] == "layer" || cells[0].StartsWith("---", StringComparison.Ordinal))
            {
                continue;
            }

            var namespaces = CodeSpan().Matches(cells[1]).Select(m => m.Groups[1].Value).ToList();
            var mayUse = cells[2].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
            layers.Add(new Layer(cells[0], namespaces, mayUse));
        }

        return new LayerTable(layers);
    }

    /// <summary>The layer a namespace belongs to: the one with the longest matching prefix; null for namespaces outside the project.</summary>
    public Layer? LayerOf(string @namespace) => Layers
        .SelectMany(l => l.Namespaces.Select(n => (Layer: l, Prefix: n)))
        .Where(x => @namespace == x.Prefix || @namespace.StartsWith(x.Prefix + ".", StringComparison.Ordinal))
        .OrderByDescending(x => x.Prefix.Length)
        .Select(x => x.Layer)
        .FirstOrDefault();

    public Layer this[string name] => Layers.Single(l => l.Name == name);

    [GeneratedRegex("`([A-Za-z0-9_.]+)`")]
    private static partial Regex CodeSpan();
}
