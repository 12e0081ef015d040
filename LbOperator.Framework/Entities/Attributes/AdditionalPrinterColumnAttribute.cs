namespace LbOperator.Framework.Entities.Attributes;

/// <summary>
/// Shows the property as a <c>kubectl get</c> column. The JSON path follows the property's place in the entity
/// (e.g. <c>.spec.cidrBlock</c>), the column type follows its schema type, and the name defaults to the C# name.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class AdditionalPrinterColumnAttribute(PrinterColumnPriority priority = default, string? name = null)
    : Attribute
{
    public PrinterColumnPriority Priority => priority;

    public string? Name => name;
}
