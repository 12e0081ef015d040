using k8s;
using k8s.Models;
using LbOperator.Framework.Builder;
using LbOperator.Framework.Client;
using LbOperator.Framework.Reconciliation;
using LbOperator.Framework.Reconciliation.Controller;
using LbOperator.Framework.Reconciliation.Finalizer;
using LbOperator.Framework.Runtime;
using LbOperator.Framework.Watcher;

namespace LbOperator.Tests.Framework.Runtime;

/// <summary>Records every call; changes nothing.</summary>
[IgnoreComponent]
internal sealed class RecordingController<TEntity>(CallLog log, OperatorSettings settings) : IEntityController<TEntity>
    where TEntity : IKubernetesObject<V1ObjectMeta>
{
    public Task<ReconciliationResult<TEntity>> ReconcileAsync(TEntity entity, CancellationToken cancellationToken)
    {
        log.Add(settings.LeaderElectionIdentity, "Reconcile", entity.Name());
        return Task.FromResult(ReconciliationResult<TEntity>.Success(entity));
    }

    public Task<ReconciliationResult<TEntity>> DeletedAsync(TEntity entity, CancellationToken cancellationToken)
    {
        log.Add(settings.LeaderElectionIdentity, "Deleted", entity.Name());
        return Task.FromResult(ReconciliationResult<TEntity>.Success(entity));
    }
}

/// <summary>Records the call and lets the object go.</summary>
[IgnoreComponent]
internal sealed class RecordingFinalizer(CallLog log, OperatorSettings settings) : IEntityFinalizer<V1ConfigMap>
{
    public Task<ReconciliationResult<V1ConfigMap>> FinalizeAsync(V1ConfigMap entity, CancellationToken cancellationToken)
    {
        log.Add(settings.LeaderElectionIdentity, "Finalize", entity.Name());
        return Task.FromResult(ReconciliationResult<V1ConfigMap>.Success(entity));
    }
}

/// <summary>
/// A level-based controller that copies data["value"] into the annotation <see cref="Annotation"/>; it writes only
/// when they differ, so a converged object costs no write.
/// </summary>
[IgnoreComponent]
internal sealed class CopyValueController(IKubernetesClient client, CallLog log) : IEntityController<V1ConfigMap>
{
    public const string Annotation = "framework.test/value";

    public async Task<ReconciliationResult<V1ConfigMap>> ReconcileAsync(V1ConfigMap entity, CancellationToken cancellationToken)
    {
        log.Add("copy", "Reconcile", entity.Name());
        var desired = entity.Data?.TryGetValue("value", out var value) == true ? value : string.Empty;
        if (entity.GetAnnotation(Annotation) == desired)
        {
            return ReconciliationResult<V1ConfigMap>.Success(entity);
        }

        entity.SetAnnotation(Annotation, desired);
        var updated = await client.UpdateAsync(entity, cancellationToken);
        log.Add("copy", "Write", entity.Name());
        return ReconciliationResult<V1ConfigMap>.Success(updated);
    }

    public Task<ReconciliationResult<V1ConfigMap>> DeletedAsync(V1ConfigMap entity, CancellationToken cancellationToken) =>
        Task.FromResult(ReconciliationResult<V1ConfigMap>.Success(entity));
}

/// <summary>Records how many ConfigMaps the cache held when it ran, before any reconcile.</summary>
[IgnoreComponent]
internal sealed class CacheCountingStartupTask(IEntityCache<V1ConfigMap> cache, IOperatorSynchronization synchronization, CallLog log) : IOperatorStartupTask
{
    public Task RunAsync(CancellationToken cancellationToken)
    {
        log.Add(synchronization.IsSynced ? "synced" : "not-synced", "Startup", cache.List().Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Task.CompletedTask;
    }
}

/// <summary>Fails by result, then by exception, then succeeds asking to be reconciled again soon.</summary>
[IgnoreComponent]
internal sealed class FlakyController(CallLog log) : IEntityController<V1ConfigMap>
{
    public Task<ReconciliationResult<V1ConfigMap>> ReconcileAsync(V1ConfigMap entity, CancellationToken cancellationToken)
    {
        var attempt = log.Count("Reconcile", entity.Name()) + 1;
        log.Add("flaky", "Reconcile", entity.Name());
        return attempt switch
        {
            1 => Task.FromResult(ReconciliationResult<V1ConfigMap>.Failure(entity, "not yet")),
            2 => throw new InvalidOperationException("still not"),
            _ => Task.FromResult(ReconciliationResult<V1ConfigMap>.Success(entity, requeueAfter: TimeSpan.FromMilliseconds(200))),
        };
    }

    public Task<ReconciliationResult<V1ConfigMap>> DeletedAsync(V1ConfigMap entity, CancellationToken cancellationToken) =>
        Task.FromResult(ReconciliationResult<V1ConfigMap>.Success(entity));
}

/// <summary>Attaches its finalizer only to ConfigMaps labelled <c>guard=yes</c>.</summary>
[IgnoreComponent]
internal sealed class SelectiveGuardController(EntityFinalizerAttacher<RecordingFinalizer, V1ConfigMap> attach) : IEntityController<V1ConfigMap>
{
    public async Task<ReconciliationResult<V1ConfigMap>> ReconcileAsync(V1ConfigMap entity, CancellationToken cancellationToken) =>
        ReconciliationResult<V1ConfigMap>.Success(entity.GetLabel("guard") == "yes" ? await attach(entity, cancellationToken) : entity);

    public Task<ReconciliationResult<V1ConfigMap>> DeletedAsync(V1ConfigMap entity, CancellationToken cancellationToken) =>
        Task.FromResult(ReconciliationResult<V1ConfigMap>.Success(entity));
}
