namespace LbOperator.Framework.Entities.Attributes;

/// <summary>
/// The schema <c>pattern</c> of a string property: a regular expression the API server checks on every write
/// (ECMA-262 syntax evaluated by RE2, so no look-around and no back-references).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PatternAttribute(string regexPattern) : Attribute
{
    public string RegexPattern => regexPattern;
}
