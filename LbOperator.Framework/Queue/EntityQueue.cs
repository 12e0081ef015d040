using k8s;
using k8s.Models;
using LbOperator.Framework.Reconciliation;

namespace LbOperator.Framework.Queue;

/// <summary>
/// Schedules a reconcile of <paramref name="entity"/> after <paramref name="queueIn"/> (KubeOps' requeue
/// capability; inject it into a controller). One entry per object: if the object is already queued the earlier due
/// time wins. Returns false when the request was dropped because this replica is not reconciling (it is not the
/// leader or is shutting down).
/// </summary>
public delegate Task<bool> EntityQueue<in TEntity>(
    TEntity entity,
    ReconciliationType type,
    ReconciliationTriggerSource reconciliationTriggerSource,
    TimeSpan queueIn,
    int retryCount,
    CancellationToken cancellationToken)
    where TEntity : IKubernetesObject<V1ObjectMeta>;
