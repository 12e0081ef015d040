namespace LbOperator.Framework.Entities.Attributes;

/// <summary>
/// Leaves a property out of the schema. On an entity class, no CRD is generated for it: use it for entities whose
/// CRD belongs to someone else (Multus' NetworkAttachmentDefinition, for instance).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class)]
public sealed class IgnoreAttribute : Attribute;
