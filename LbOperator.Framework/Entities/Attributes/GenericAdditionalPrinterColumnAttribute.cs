namespace LbOperator.Framework.Entities.Attributes;

/// <summary>
/// A <c>kubectl get</c> column with an explicit JSON path, name and type (string, integer, number, boolean or
/// date). Columns keep the order of these attributes on the class and follow the property-based columns.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class GenericAdditionalPrinterColumnAttribute(string jsonPath, string name, string type) : Attribute
{
    public string JsonPath => jsonPath;

    public string Name => name;

    public string Type => type;

    public string? Description { get; init; }

    public string? Format { get; init; }

    public PrinterColumnPriority Priority { get; init; }
}
