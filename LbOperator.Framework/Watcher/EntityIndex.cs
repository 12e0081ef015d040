using k8s;
using k8s.Models;

namespace LbOperator.Framework.Watcher;

/// <summary>
/// A value the cache of <typeparamref name="TEntity"/> indexes its objects by (controller-runtime's field indexer),
/// so a controller finds the objects with one value (<see cref="IEntityCache{TEntity}.Find"/>) without scanning
/// every object. Register it as a singleton before the operator starts. A null value leaves the object out.
/// </summary>
public sealed record EntityIndex<TEntity>(string Name, Func<TEntity, string?> ValueOf)
    where TEntity : IKubernetesObject<V1ObjectMeta>;
