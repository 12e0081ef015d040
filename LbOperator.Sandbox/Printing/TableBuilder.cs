using System.Text.Json.Nodes;

namespace LbOperator.Sandbox.Printing;

/// <summary>What each row of a Table carries besides its cells (the <c>includeObject</c> query parameter).</summary>
public enum IncludeObject
{
    None,

    /// <summary>A PartialObjectMetadata with the object's metadata (the default).</summary>
    Metadata,

    /// <summary>The whole object (<c>includeObject=Object</c>).</summary>
    WholeObject,
}

/// <summary>
/// Builds the <c>meta.k8s.io</c> Table that <c>kubectl get</c> asks for with
/// <c>Accept: application/json;as=Table;v=v1;g=meta.k8s.io</c>.
/// </summary>
public static class TableBuilder
{
    /// <summary>The row printer of a descriptor: built-in columns for known kinds, the declared columns otherwise.</summary>
    public static RowPrinter PrinterFor(ResourceDescriptor descriptor) =>
        (descriptor.IsCustom ? null : BuiltInPrinters.For(descriptor.Group, descriptor.Kind))
        ?? (descriptor.IsCustom || descriptor.PrinterColumns.Count > 0 ? ColumnPrinter.For(descriptor.PrinterColumns) : BuiltInPrinters.Generic);

    /// <param name="tableVersion"><c>v1</c> or <c>v1beta1</c>, as asked in the Accept header.</param>
    /// <param name="listMetadata">The list's metadata (resourceVersion, continue), copied to the table.</param>
    /// <param name="withColumns">False for watch events after the first, which kube-apiserver sends without columns.</param>
    public static JsonObject Build(
        ResourceDescriptor descriptor, IEnumerable<JsonObject> objects, DateTimeOffset now, IncludeObject include,
        string tableVersion = "v1", JsonObject? listMetadata = null, bool withColumns = true)
    {
        var printer = PrinterFor(descriptor);
        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            var row = new JsonObject { ["cells"] = new JsonArray(printer.Cells(obj, now)) };
            switch (include)
            {
                case IncludeObject.WholeObject:
                    row["object"] = obj.DeepClone();
                    break;
                case IncludeObject.Metadata:
                    row["object"] = new JsonObject
                    {
                        ["kind"] = "PartialObjectMetadata",
                        ["apiVersion"] = $"meta.k8s.io/{tableVersion}",
                        ["metadata"] = obj["metadata"]?.DeepClone() ?? new JsonObject(),
                    };
                    break;
            }

            rows.Add(row);
        }

        var table = new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = $"meta.k8s.io/{tableVersion}",
            ["metadata"] = listMetadata?.DeepClone() ?? new JsonObject(),
        };
        if (withColumns)
        {
            table["columnDefinitions"] = new JsonArray([.. printer.Columns.Select(c => (JsonNode)c.ToJson())]);
        }

        table["rows"] = rows;
        return table;
    }

    /// <summary>Parses <c>includeObject</c>: None, Metadata (default) or Object.</summary>
    /// <exception cref="ArgumentException">Any other value.</exception>
    public static IncludeObject ParseIncludeObject(string? value) => value switch
    {
        null or "" or "Metadata" => IncludeObject.Metadata,
        "Object" => IncludeObject.WholeObject,
        "None" => IncludeObject.None,
        _ => throw new ArgumentException($"invalid includeObject \"{value}\": accepted values are None, Metadata and Object", nameof(value)),
    };
}
