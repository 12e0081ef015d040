namespace LbOperator.Framework.Entities.Attributes;

/// <summary>
/// A CEL rule in <c>x-kubernetes-validations</c>. <c>self</c> is the annotated property's (or class's) value;
/// rules that use <c>oldSelf</c> are transition rules, checked on updates only.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class, AllowMultiple = true)]
public sealed class ValidationRuleAttribute(
    string rule,
    string? fieldPath = null,
    string? message = null,
    string? messageExpression = null,
    string? reason = null) : Attribute
{
    public string Rule => rule;

    public string? FieldPath => fieldPath;

    public string? Message => message;

    public string? MessageExpression => messageExpression;

    /// <summary>FieldValueInvalid (the default), FieldValueForbidden, FieldValueRequired or FieldValueDuplicate.</summary>
    public string? Reason => reason;
}
