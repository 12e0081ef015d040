namespace LbOperator.Framework.Entities.Attributes;

/// <summary>The CRD's <c>scope</c>; without the attribute an entity is namespaced.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class EntityScopeAttribute(EntityScope scope = default) : Attribute
{
    public EntityScope Scope => scope;
}
