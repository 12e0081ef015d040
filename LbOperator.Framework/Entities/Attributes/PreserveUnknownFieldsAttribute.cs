namespace LbOperator.Framework.Entities.Attributes;

/// <summary>
/// <c>x-kubernetes-preserve-unknown-fields: true</c>: the API server keeps fields the schema does not declare
/// instead of pruning them. Declared fields are still validated.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class)]
public sealed class PreserveUnknownFieldsAttribute : Attribute;
