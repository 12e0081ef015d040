namespace LbOperator.Framework.Entities.Attributes;

/// <summary>
/// Lists the property in its parent's <c>required</c>. On a spec class, or on any direct property of it, it also makes
/// <c>spec</c> required at the top level. Not System.ComponentModel.DataAnnotations' attribute of the same name.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class)]
public sealed class RequiredAttribute : Attribute;
