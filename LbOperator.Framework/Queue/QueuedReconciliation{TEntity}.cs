using LbOperator.Framework.Entities;
using LbOperator.Framework.Reconciliation;

namespace LbOperator.Framework.Queue;

/// <summary>
/// A pending reconcile of one object. <see cref="DeletedEntity"/> is the last state seen of an object whose deletion
/// was observed (what <c>DeletedAsync</c> receives); <see cref="RetryCount"/> counts failed attempts in a row.
/// </summary>
public sealed record QueuedReconciliation<TEntity>(
    EntityKey Key,
    ReconciliationType Type,
    ReconciliationTriggerSource Source,
    DateTimeOffset Due,
    int RetryCount,
    TEntity? DeletedEntity)
{
    /// <summary>Merges a newer request for the same object: the earlier due time wins, a seen deletion is kept.</summary>
    public QueuedReconciliation<TEntity> MergeWith(QueuedReconciliation<TEntity> newer)
    {
        ArgumentNullException.ThrowIfNull(newer);
        return this with
        {
            Due = newer.Due < Due ? newer.Due : Due,
            Type = (Type, newer.Type) switch
            {
                (ReconciliationType.Deleted, _) or (_, ReconciliationType.Deleted) => ReconciliationType.Deleted,
                (ReconciliationType.Added, _) => ReconciliationType.Added,
                _ => newer.Type,
            },
            Source = Source == ReconciliationTriggerSource.ApiServer ? Source : newer.Source,
            RetryCount = Math.Max(RetryCount, newer.RetryCount),
            DeletedEntity = newer.DeletedEntity ?? DeletedEntity,
        };
    }
}
