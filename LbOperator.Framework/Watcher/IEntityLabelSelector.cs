using k8s;
using k8s.Models;

namespace LbOperator.Framework.Watcher;

/// <summary>
/// The label selector the watcher of <typeparamref name="TEntity"/> lists and watches with (KubeOps'
/// <c>IEntityLabelSelector</c>), so the cache holds only the objects the operator needs. Register a closed
/// implementation as a singleton; without one every object of the kind is watched.
/// </summary>
public interface IEntityLabelSelector<TEntity>
    where TEntity : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>A selector in the API's syntax (<c>key=value,other</c>); null selects everything.</summary>
    ValueTask<string?> GetLabelSelectorAsync(CancellationToken cancellationToken);
}

/// <summary>No selector: every object of the kind.</summary>
public sealed class DefaultEntityLabelSelector<TEntity> : IEntityLabelSelector<TEntity>
    where TEntity : IKubernetesObject<V1ObjectMeta>
{
    public ValueTask<string?> GetLabelSelectorAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);
}
