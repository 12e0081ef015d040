namespace LbOperator.Framework.Entities.Attributes;

/// <summary>
/// The schema <c>description</c> of a property or class. Not System.ComponentModel's attribute of the same name:
/// only this one is read by the CRD transpiler.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class)]
public sealed class DescriptionAttribute(string description) : Attribute
{
    public string Description => description;
}
