using k8s;
using k8s.Models;

namespace LbOperator.Framework.Reconciliation.Finalizer;

/// <summary>
/// Cleans up before an object of <typeparamref name="TEntity"/> may disappear. The runtime attaches the finalizer's
/// name to every live object, calls <see cref="FinalizeAsync"/> once the object is being deleted, and removes the
/// name after a Success; a Failure or an exception keeps it and retries with backoff.
/// </summary>
public interface IEntityFinalizer<TEntity>
    where TEntity : IKubernetesObject<V1ObjectMeta>
{
    Task<ReconciliationResult<TEntity>> FinalizeAsync(TEntity entity, CancellationToken cancellationToken);
}
