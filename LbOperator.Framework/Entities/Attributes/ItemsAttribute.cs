namespace LbOperator.Framework.Entities.Attributes;

/// <summary>The schema <c>minItems</c> / <c>maxItems</c> of a list property; -1 leaves a bound out.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ItemsAttribute(long minItems = -1, long maxItems = -1) : Attribute
{
    public long MinItems => minItems;

    public long MaxItems => maxItems;
}
