using System.Text.Json.Nodes;

namespace LbOperator.Sandbox.Printing;

/// <summary>A column definition of a <c>meta.k8s.io/v1</c> Table; kubectl upper-cases the name for its header.</summary>
public sealed record TableColumn(string Name, string Type, string Description, int Priority = 0, string Format = "")
{
    public static TableColumn NameColumn { get; } = new("Name", "string", "Name must be unique within a namespace.", 0, "name");

    public static TableColumn AgeColumn { get; } = new("Age", "string", "The time since the object was created.");

    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["type"] = Type,
        ["format"] = Format,
        ["description"] = Description,
        ["priority"] = Priority,
    };
}
