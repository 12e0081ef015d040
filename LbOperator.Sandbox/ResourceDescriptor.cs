using System.Text.Json.Nodes;

namespace LbOperator.Sandbox;

/// <summary>
/// What the sandbox API server knows about one resource type: enough for routing, discovery, OpenAPI documents,
/// table printing and validation. Built-in kinds are described in code; custom resources come from their CRD.
/// </summary>
public sealed record ResourceDescriptor(
    string Group,
    string Version,
    string Kind,
    string Plural,
    string Singular,
    bool Namespaced,
    IReadOnlyList<string> ShortNames,
    IReadOnlyList<string> Verbs,
    bool HasStatusSubresource,
    IReadOnlyList<PrinterColumn> PrinterColumns,
    JsonObject? Schema = null,
    IReadOnlyList<string>? Categories = null)
{
    /// <summary><c>v1</c> for the core group, <c>group/version</c> otherwise.</summary>
    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string ListKind => $"{Kind}List";

    /// <summary>True for kinds served from a CustomResourceDefinition.</summary>
    public bool IsCustom => Schema is not null;
}

/// <summary>A column of <c>kubectl get</c> output: a CRD's additionalPrinterColumn or a built-in kind's column.</summary>
public sealed record PrinterColumn(string Name, string Type, string JsonPath, string? Description = null, int Priority = 0, string? Format = null);
