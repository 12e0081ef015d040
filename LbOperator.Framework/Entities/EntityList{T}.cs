using k8s;
using k8s.Models;

namespace LbOperator.Framework.Entities;

/// <summary>A list of entities with its list metadata (the resourceVersion to watch from).</summary>
public sealed class EntityList<T> : KubernetesObject
{
    public V1ListMeta Metadata { get; set; } = new();

    public IList<T> Items { get; set; } = [];
}
