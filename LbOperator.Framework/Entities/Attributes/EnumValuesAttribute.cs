namespace LbOperator.Framework.Entities.Attributes;

/// <summary>The schema <c>enum</c> of a string property: the only values the API server accepts.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class EnumValuesAttribute(params string[] values) : Attribute
{
    public IReadOnlyList<string> Values => values;
}
