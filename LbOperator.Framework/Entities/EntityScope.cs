namespace LbOperator.Framework.Entities;

/// <summary>Whether an entity's objects live in a namespace or at cluster level.</summary>
public enum EntityScope
{
    Namespaced,
    Cluster,
}
