using System.Net;
using k8s;
using k8s.Models;
using LbOperator.Framework.Builder;
using LbOperator.Framework.Client;
using LbOperator.Framework.Entities;
using LbOperator.Framework.Metrics;
using LbOperator.Framework.Queue;
using LbOperator.Framework.Reconciliation;
using LbOperator.Framework.Watcher;
using Microsoft.Extensions.Logging;

namespace LbOperator.Framework.Runtime;

/// <summary>The reconcile loop of one controlled kind, run once per leader term by the runtime.</summary>
internal interface IControllerPipeline
{
    Type EntityType { get; }

    /// <summary>Waits for <paramref name="startGate"/>, then reconciles until cancelled; intake closes at the end.</summary>
    Task RunAsync(Task startGate, CancellationToken cancellationToken);

    /// <summary>Opens the queue for a new term (empty).</summary>
    void BeginTerm();
}

/// <summary>
/// Watch events of <typeparamref name="TEntity"/> → keyed queue → workers → <see cref="Reconciler{TEntity}"/>.
/// ADDED, DELETED and MODIFIED events whose <see cref="TriggerFingerprint"/> changed are queued (status-only
/// writes are not); related kinds queue through <see cref="Enqueue"/>. Each reconcile reads the object from the watch
/// cache (a copy, including this operator's own latest write), never with a GET: a write that meets a newer object
/// (409) requeues the key, and the watch brings the newer object before the retry.
/// Failures (thrown or returned) are retried with capped exponential backoff without end; 409 Conflict is
/// retried soon, quietly. Every cached object is queued again each resync period.
/// </summary>
internal sealed class ControllerPipeline<TEntity>(
    Reconciler<TEntity> reconciler,
    EntityCache<TEntity> cache,
    ReconcileSlots slots,
    OperatorSettings settings,
    OperatorMetrics metrics,
    ILogger<ControllerPipeline<TEntity>> logger,
    TimeProvider timeProvider) : IControllerPipeline, IWatchEventHandler<TEntity>
    where TEntity : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>controller-runtime's default controller name: the kind, lower-cased (<c>service</c>, <c>subnet</c>).</summary>
    private static readonly string ControllerName = EntityMetadata.For<TEntity>().SingularName;

    private readonly ControllerMetrics _metrics = metrics.ForController(ControllerName, settings.MaxParallelReconciliations);
    private readonly EntityWorkQueue<TEntity> _queue = new(timeProvider, metrics.ForQueue(ControllerName));
    private readonly ExponentialBackoff _backoff = new(settings.ErrorBackoffBase, settings.ErrorBackoffMax);
    private readonly string _kind = EntityMetadata.For<TEntity>().Kind;

    public Type EntityType => typeof(TEntity);

    internal EntityWorkQueue<TEntity> Queue => _queue;

    public void BeginTerm()
    {
        _queue.Clear();
        _queue.ResumeIntake();
    }

    public void OnEvent(WatchEventType type, TEntity entity, TEntity? previous)
    {
        switch (type)
        {
            case WatchEventType.Added:
                _queue.Enqueue(EntityKey.Of(entity), ReconciliationType.Added, ReconciliationTriggerSource.ApiServer, TimeSpan.Zero);
                break;
            case WatchEventType.Modified when TriggerFingerprint.Differs(previous, entity):
                _queue.Enqueue(EntityKey.Of(entity), ReconciliationType.Modified, ReconciliationTriggerSource.ApiServer, TimeSpan.Zero);
                break;
            case WatchEventType.Deleted:
                _queue.Enqueue(EntityKey.Of(entity), ReconciliationType.Deleted, ReconciliationTriggerSource.ApiServer, TimeSpan.Zero, deletedEntity: entity);
                break;
            default:
                logger.LogTrace("""{Kind} {Key}: status-only change, no reconcile.""", _kind, EntityKey.Of(entity));
                break;
        }
    }

    /// <summary>Queues a reconcile of the object <paramref name="key"/> (related-object changes, requeues).</summary>
    public bool Enqueue(EntityKey key, ReconciliationTriggerSource source, TimeSpan delay, int retryCount = 0) =>
        _queue.Enqueue(key, ReconciliationType.Modified, source, delay, retryCount);

    /// <summary>The <see cref="EntityQueue{TEntity}"/> capability handed to controllers.</summary>
    public Task<bool> EnqueueEntity(
        TEntity entity, ReconciliationType type, ReconciliationTriggerSource source, TimeSpan queueIn, int retryCount, CancellationToken cancellationToken) =>
        Task.FromResult(_queue.Enqueue(
            EntityKey.Of(entity), type, source, queueIn, retryCount, type == ReconciliationType.Deleted ? entity : default));

    public async Task RunAsync(Task startGate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(startGate);
        try
        {
            await startGate.WaitAsync(cancellationToken);
            var workers = Enumerable.Range(0, settings.MaxParallelReconciliations).Select(_ => WorkAsync(cancellationToken));
            await Task.WhenAll([.. workers, ResyncAsync(cancellationToken)]);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            _queue.SuspendIntake();
            _queue.Clear();
        }
    }

    private async Task ResyncAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(settings.ResyncPeriod, timeProvider);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            foreach (var key in cache.Keys())
            {
                _queue.Enqueue(key, ReconciliationType.Modified, ReconciliationTriggerSource.Operator, TimeSpan.Zero);
            }
        }
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var entry = await _queue.DequeueAsync(cancellationToken);
            try
            {
                using var slot = await slots.AcquireAsync(cancellationToken);
                _metrics.WorkerStarted();
                try
                {
                    await ProcessAsync(entry, cancellationToken);
                }
                finally
                {
                    _metrics.WorkerFinished();
                }
            }
            finally
            {
                _queue.Done(entry.Key);
            }
        }
    }

    private async Task ProcessAsync(QueuedReconciliation<TEntity> entry, CancellationToken cancellationToken)
    {
        try
        {
            var fresh = cache.Get(entry.Key.Name, entry.Key.Namespace);
            if (entry.DeletedEntity is { } gone && (fresh is null || fresh.Uid() != gone.Uid()))
            {
                logger.LogInformation("""{Kind} {Key} was deleted.""", _kind, entry.Key);
                var deleted = await ReconcileTimedAsync(
                    ReconciliationContext<TEntity>.CreateFor(gone, ReconciliationType.Deleted, entry.Source), cancellationToken);
                if (!Handle(entry, deleted) || fresh is null)
                {
                    return;
                }

                entry = entry with { RetryCount = 0, Type = ReconciliationType.Added, DeletedEntity = default };
            }

            if (fresh is null)
            {
                logger.LogDebug("""{Kind} {Key} no longer exists; nothing to reconcile.""", _kind, entry.Key);
                return;
            }

            var type = entry.Type == ReconciliationType.Deleted ? ReconciliationType.Added : entry.Type;
            logger.LogDebug("""Reconciling {Kind} {Key} ({Type}, {Source}).""", _kind, entry.Key, type, entry.Source);
            var result = await ReconcileTimedAsync(ReconciliationContext<TEntity>.CreateFor(fresh, type, entry.Source), cancellationToken);
            Handle(entry, result);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping or losing the lease: not an outcome of the reconcile.
        }
        catch (Exception e) when (e.Is(HttpStatusCode.Conflict))
        {
            var retry = entry.RetryCount + 1;
            var delay = TimeSpan.FromTicks(Math.Min(settings.ConflictRequeueDelay.Ticks * retry, settings.ErrorBackoffMax.Ticks));
            logger.LogDebug("""{Kind} {Key}: conflict (the object changed meanwhile); reconciling again in {Delay}.""", _kind, entry.Key, delay);
            _metrics.Finished(ReconcileOutcome.Error);
            _queue.Enqueue(entry.Key, entry.Type, ReconciliationTriggerSource.Operator, delay, retry, entry.DeletedEntity);
        }
#pragma warning disable CA1031 // Every failure of a reconcile is retried; none may stop the worker.
        catch (Exception e)
#pragma warning restore CA1031
        {
            var retry = entry.RetryCount + 1;
            var delay = _backoff.DelayFor(retry, Random.Shared.NextDouble());
            logger.LogError(e, """Reconcile of {Kind} {Key} threw ({Retry} failures in a row); retrying in {Delay}.""", _kind, entry.Key, retry, delay);
            _metrics.Finished(ReconcileOutcome.Error);
            _queue.Enqueue(entry.Key, entry.Type, ReconciliationTriggerSource.Operator, delay, retry, entry.DeletedEntity);
        }
    }

    /// <summary>Schedules what the result asks for; true for Success.</summary>
    private bool Handle(QueuedReconciliation<TEntity> entry, ReconciliationResult<TEntity> result)
    {
        var key = entry.Key;
        if (result.IsSuccess)
        {
            _metrics.Finished(ReconcileOutcomes.OfSuccess(result.RequeueAfter));
            if (result.RequeueAfter is { } after)
            {
                _queue.Enqueue(key, ReconciliationType.Modified, ReconciliationTriggerSource.Operator, after);
            }

            return true;
        }

        var retry = entry.RetryCount + 1;
        var delay = result.RequeueAfter ?? _backoff.DelayFor(retry, Random.Shared.NextDouble());
        _metrics.Finished(ReconcileOutcome.Error);
        logger.LogWarning(
            result.Error,
            """Reconcile of {Kind} {Key} failed: {Error} ({Retry} failures in a row); retrying in {Delay}.""",
            _kind, key, result.ErrorMessage, retry, delay);
        _queue.Enqueue(key, entry.Type, ReconciliationTriggerSource.Operator, delay, retry, entry.Type == ReconciliationType.Deleted ? entry.DeletedEntity : default);
        return false;
    }

    /// <summary>Runs the reconciler, observing how long it took (controller-runtime's reconcile time).</summary>
    private async Task<ReconciliationResult<TEntity>> ReconcileTimedAsync(ReconciliationContext<TEntity> context, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        try
        {
            return await reconciler.ReconcileAsync(context, cancellationToken);
        }
        finally
        {
            _metrics.ObserveReconcileTime(timeProvider.GetElapsedTime(started));
        }
    }
}
