namespace LbOperator.Framework.Entities.Attributes;

/// <summary>The schema <c>maximum</c> (and <c>exclusiveMaximum</c>) of a numeric property.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RangeMaximumAttribute(double maximum, bool exclusiveMaximum = false) : Attribute
{
    public double Maximum => maximum;

    public bool ExclusiveMaximum => exclusiveMaximum;
}
