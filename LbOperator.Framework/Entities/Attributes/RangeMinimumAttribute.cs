namespace LbOperator.Framework.Entities.Attributes;

/// <summary>The schema <c>minimum</c> (and <c>exclusiveMinimum</c>) of a numeric property.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RangeMinimumAttribute(double minimum, bool exclusiveMinimum = false) : Attribute
{
    public double Minimum => minimum;

    public bool ExclusiveMinimum => exclusiveMinimum;
}
