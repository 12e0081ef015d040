using k8s;
using k8s.Models;

namespace LbOperator.Framework.Reconciliation;

/// <summary>One reconcile to run: the object as just read, what happened to it and who asked.</summary>
public sealed record ReconciliationContext<TEntity>(
    TEntity Entity,
    ReconciliationType EventType,
    ReconciliationTriggerSource ReconciliationTriggerSource)
    where TEntity : IKubernetesObject<V1ObjectMeta>
{
    public static ReconciliationContext<TEntity> CreateFor(
        TEntity entity, ReconciliationType eventType, ReconciliationTriggerSource source) => new(entity, eventType, source);
}
