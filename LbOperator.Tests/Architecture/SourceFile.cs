using System.Text.RegularExpressions;

namespace LbOperator.Tests.Architecture;

/// <summary>
/// One C# file of the product as the layer rules see it: the namespace it declares, the namespaces it names (in
/// <c>using</c> directives and in qualified names, comments left out), and its code without comments or strings.
/// </summary>
/// <param name="PartialNames">
/// Names such as <c>Gateway.GatewayNames</c> written inside <c>LbOperator.*</c>, where they may mean
/// <c>LbOperator.Gateway.GatewayNames</c>; they count when that type exists (see <see cref="DeclaredTypes"/>).
/// </param>
internal sealed partial record SourceFile(
    string Path,
    string Namespace,
    IReadOnlyList<string> NamedNamespaces,
    IReadOnlyList<(string Area, string Name)> PartialNames,
    IReadOnlyList<string> DeclaredTypes,
    string Code)
{
    /// <summary>The operator's own top-level namespaces, which code inside <c>LbOperator.*</c> may name without the prefix.</summary>
    private static readonly string[] OperatorNamespaces = ["Entities", "Ipam", "LoadBalancing", "Gateway", "Controllers", "Finalizers", "Composition", "Cli", "Framework", "Sandbox"];

    public static IEnumerable<SourceFile> Under(string directory) =>
        Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{System.IO.Path.DirectorySeparatorChar}obj{System.IO.Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !p.Contains($"{System.IO.Path.DirectorySeparatorChar}bin{System.IO.Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(Read);

    public static SourceFile Read(string path)
    {
        var text = File.ReadAllText(path);
        var declared = NamespaceDeclaration().Match(text) is { Success: true } m ? m.Groups[1].Value : "";
        var code = StringsAndComments().Replace(text, match => match.Value.StartsWith('"') || match.Value.StartsWith('@') || match.Value.StartsWith('$') ? "\"\"" : " ");
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match directive in UsingDirective().Matches(code))
        {
            named.Add(directive.Groups[1].Value);
        }

        foreach (Match qualified in QualifiedName().Matches(code))
        {
            named.Add(qualified.Groups[1].Value);
        }

        // Inside namespace LbOperator.X, "Gateway.GatewayNames" may mean LbOperator.Gateway.GatewayNames.
        var partials = declared.StartsWith("LbOperator.", StringComparison.Ordinal)
            ? PartialName().Matches(code).Select(p => (p.Groups[1].Value, p.Groups[2].Value)).Where(p => OperatorNamespaces.Contains(p.Item1)).Distinct().ToList()
            : [];
        var types = TypeDeclaration().Matches(code).Select(t => t.Groups[1].Value).Distinct().ToList();
        return new SourceFile(path, declared, [.. named.Order(StringComparer.Ordinal)], partials, types, code);
    }

    [GeneratedRegex(@"^\s*namespace\s+([A-Za-z0-9_.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    // The whole dotted name of a using directive (a type's name too, for aliases and using static): layers match by prefix.
    [GeneratedRegex(@"^\s*(?:global\s+)?using\s+(?:static\s+)?(?:[A-Za-z0-9_]+\s*=\s*)?([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)\s*;", RegexOptions.Multiline)]
    private static partial Regex UsingDirective();

    // LbOperator.<Area>... and k8s.<Area>... wherever they are written out in code.
    [GeneratedRegex(@"(?<![A-Za-z0-9_.])((?:LbOperator|k8s)(?:\.[A-Za-z0-9_]+)+)")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"(?<![A-Za-z0-9_.])([A-Z][A-Za-z]+)\.([A-Z][A-Za-z0-9_]*)")]
    private static partial Regex PartialName();

    [GeneratedRegex(@"\b(?:class|record|struct|enum|interface)\s+([A-Z][A-Za-z0-9_]*)")]
    private static partial Regex TypeDeclaration();

    // Verbatim, interpolated and plain strings, char literals, and comments (line and block).
    [GeneratedRegex(@"@""(?:[^""]|"""")*""|\$?""""""[\s\S]*?""""""|\$?""(?:\\.|[^""\\\n])*""|'(?:\\.|[^'\\\n])'|//[^\n]*|/\*[\s\S]*?\*/")]
    private static partial Regex StringsAndComments();
}
