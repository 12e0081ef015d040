namespace LbOperator.Framework.Entities.Attributes;

/// <summary>The schema <c>minLength</c> / <c>maxLength</c> of a string property; -1 leaves a bound out.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class LengthAttribute(long minLength = -1, long maxLength = -1) : Attribute
{
    public long MinLength => minLength;

    public long MaxLength => maxLength;
}
