using k8s;
using k8s.Models;

namespace LbOperator.Framework.Entities;

/// <summary>Identifies one object of a kind: its namespace (null for cluster-scoped objects) and name.</summary>
public readonly record struct EntityKey(string? Namespace, string Name)
{
    public static EntityKey Of(IKubernetesObject<V1ObjectMeta> entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var metadata = entity.Metadata ?? throw new ArgumentException("The object has no metadata.", nameof(entity));
        return new EntityKey(string.IsNullOrEmpty(metadata.NamespaceProperty) ? null : metadata.NamespaceProperty, metadata.Name);
    }

    public override string ToString() => Namespace is null ? Name : $"{Namespace}/{Name}";
}
