using LbOperator.Framework.Entities;
using LbOperator.Framework.Reconciliation;

namespace LbOperator.Framework.Queue;

/// <summary>
/// A keyed, timed work queue: at most one pending entry per object (requests merge, the earliest due time wins),
/// and an object handed out is not handed out again until <see cref="Done"/> — so one object is never reconciled
/// twice at once, while requests that arrive meanwhile wait as its next entry. Entries come out in due-time order.
/// </summary>
public sealed class EntityWorkQueue<TEntity>(TimeProvider timeProvider)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<EntityKey, QueuedReconciliation<TEntity>> _pending = [];
    private readonly HashSet<EntityKey> _inFlight = [];
    private TaskCompletionSource _changed = NewSignal();
    private bool _intakeOpen = true;

    /// <summary>Objects waiting (not counting those being reconciled).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Queues a reconcile of <paramref name="key"/> after <paramref name="delay"/>; false when intake is suspended.</summary>
    public bool Enqueue(
        EntityKey key,
        ReconciliationType type,
        ReconciliationTriggerSource source,
        TimeSpan delay,
        int retryCount = 0,
        TEntity? deletedEntity = default)
    {
        var due = timeProvider.GetUtcNow() + (delay < TimeSpan.Zero ? TimeSpan.Zero : delay);
        var request = new QueuedReconciliation<TEntity>(key, type, source, due, retryCount, deletedEntity);
        lock (_lock)
        {
            if (!_intakeOpen)
            {
                return false;
            }

            _pending[key] = _pending.TryGetValue(key, out var existing) ? existing.MergeWith(request) : request;
            SignalLocked();
            return true;
        }
    }

    /// <summary>
    /// Waits for the earliest due entry whose object is not being reconciled, marks the object in flight and
    /// returns the entry. The caller must call <see cref="Done"/> with its key afterwards.
    /// </summary>
    public async Task<QueuedReconciliation<TEntity>> DequeueAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Task changed;
            TimeSpan wait;
            lock (_lock)
            {
                var next = EarliestReadyLocked();
                var now = timeProvider.GetUtcNow();
                if (next is not null && next.Due <= now)
                {
                    _pending.Remove(next.Key);
                    _inFlight.Add(next.Key);
                    return next;
                }

                wait = next is null ? Timeout.InfiniteTimeSpan : next.Due - now;
                changed = _changed.Task;
            }

            using var delayCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(wait, timeProvider, delayCancellation.Token);
            await Task.WhenAny(changed, delay);
            await delayCancellation.CancelAsync();
        }
    }

    /// <summary>Ends the reconcile of <paramref name="key"/>: its next pending entry, if any, may now be handed out.</summary>
    public void Done(EntityKey key)
    {
        lock (_lock)
        {
            _inFlight.Remove(key);
            SignalLocked();
        }
    }

    /// <summary>Drops every pending entry (on leadership loss: the next leader term relists everything).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _pending.Clear();
            SignalLocked();
        }
    }

    public void SuspendIntake()
    {
        lock (_lock)
        {
            _intakeOpen = false;
        }
    }

    public void ResumeIntake()
    {
        lock (_lock)
        {
            _intakeOpen = true;
        }
    }

    private QueuedReconciliation<TEntity>? EarliestReadyLocked()
    {
        QueuedReconciliation<TEntity>? earliest = null;
        foreach (var entry in _pending.Values)
        {
            if (!_inFlight.Contains(entry.Key) && (earliest is null || entry.Due < earliest.Due))
            {
                earliest = entry;
            }
        }

        return earliest;
    }

    private void SignalLocked()
    {
        var previous = _changed;
        _changed = NewSignal();
        previous.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
