using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LbOperator.Sandbox.Printing;

/// <summary>
/// Prints the columns a descriptor declares (a CRD's additionalPrinterColumns): NAME first, then each column's
/// JSONPath value; <c>date</c> columns show an age. A CRD without columns gets AGE, as in kube-apiserver.
/// </summary>
public static class ColumnPrinter
{
    public static RowPrinter For(IReadOnlyList<PrinterColumn> columns)
    {
        IReadOnlyList<PrinterColumn> effective = columns.Count > 0
            ? columns
            : [new PrinterColumn("Age", "date", ".metadata.creationTimestamp")];
        return new RowPrinter(
            [TableColumn.NameColumn, .. effective.Select(c => new TableColumn(c.Name, c.Type, c.Description ?? "", c.Priority, c.Format ?? ""))],
            (o, now) => [Fields.Text(o, "metadata", "name") ?? "", .. effective.Select(c => Cell(o, c, now))]);
    }

    private static JsonNode? Cell(JsonObject o, PrinterColumn column, DateTimeOffset now)
    {
        IReadOnlyList<JsonNode> values;
        try
        {
            values = SimpleJsonPath.Select(o, column.JsonPath);
        }
        catch (FormatException)
        {
            return null;
        }

        if (values.Count == 0)
        {
            return null;
        }

        var first = values[0];
        return column.Type switch
        {
            "date" => first.GetValueKind() == JsonValueKind.String ? HumanDuration.Since(first.GetValue<string>(), now) : "<invalid>",
            "integer" when Meta.AsInteger(first) is { } n => n,
            "number" when Meta.AsDouble(first) is { } d => d,
            "boolean" when first.GetValueKind() is JsonValueKind.True or JsonValueKind.False => first.GetValue<bool>(),
            "string" => string.Join(',', values.Select(AsText)),
            _ => null,
        };
    }

    private static string AsText(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.Number => Meta.AsDouble(value)?.ToString(CultureInfo.InvariantCulture) ?? value.ToJsonString(),
        _ => value.ToJsonString(),
    };
}
