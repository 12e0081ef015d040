using k8s;
using k8s.Models;

namespace LbOperator.Framework.Reconciliation.Controller;

/// <summary>
/// Brings the world in line with one object of <typeparamref name="TEntity"/> (KubeOps' controller contract).
/// <see cref="ReconcileAsync"/> runs for every relevant change, on resync and on requeue, always with the object
/// as freshly read from the API server; it must be idempotent and write nothing when nothing is to change.
/// <see cref="DeletedAsync"/> runs once the object is gone. Controllers are resolved from a new DI scope for
/// every call. Honour the cancellation token: it fires when the operator stops or loses the leader lease.
/// </summary>
public interface IEntityController<TEntity>
    where TEntity : IKubernetesObject<V1ObjectMeta>
{
    Task<ReconciliationResult<TEntity>> ReconcileAsync(TEntity entity, CancellationToken cancellationToken);

    Task<ReconciliationResult<TEntity>> DeletedAsync(TEntity entity, CancellationToken cancellationToken);
}
