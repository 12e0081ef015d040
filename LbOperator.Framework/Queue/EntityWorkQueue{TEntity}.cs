using LbOperator.Framework.Entities;
using LbOperator.Framework.Metrics;
using LbOperator.Framework.Reconciliation;

namespace LbOperator.Framework.Queue;

/// <summary>
/// A keyed, timed work queue: at most one pending entry per object (requests merge, the earliest due time wins),
/// and an object handed out is not handed out again until <see cref="Done"/> — so one object is never reconciled
/// twice at once, while requests that arrive meanwhile wait as its next entry. Entries come out in due-time order
/// (first come first served among equal times); taking one costs O(log n) however many objects wait.
/// </summary>
public sealed class EntityWorkQueue<TEntity>
{
    private readonly Lock _lock = new();
    private readonly Dictionary<EntityKey, QueuedReconciliation<TEntity>> _pending = [];

    /// <summary>
    /// Due times of pending objects not in flight, earliest first. Entries are never updated in place: one whose
    /// object was taken, or whose due time moved earlier, is stale and dropped when it reaches the top.
    /// </summary>
    private readonly PriorityQueue<EntityKey, (DateTimeOffset Due, long Order)> _byDueTime = new();
    private long _order;

    /// <summary>The objects handed out and not done yet, with the timestamp they were handed out at.</summary>
    private readonly Dictionary<EntityKey, long> _inFlight = [];
    private readonly TimeProvider _timeProvider;
    private readonly WorkQueueMetrics? _metrics;
    private TaskCompletionSource _changed = NewSignal();
    private bool _intakeOpen = true;

    public EntityWorkQueue(TimeProvider timeProvider)
        : this(timeProvider, null)
    {
    }

    internal EntityWorkQueue(TimeProvider timeProvider, WorkQueueMetrics? metrics)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        _metrics = metrics;
        metrics?.Track(Load);
    }

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
        var due = _timeProvider.GetUtcNow() + (delay < TimeSpan.Zero ? TimeSpan.Zero : delay);
        var request = new QueuedReconciliation<TEntity>(key, type, source, due, retryCount, deletedEntity);
        lock (_lock)
        {
            if (!_intakeOpen)
            {
                return false;
            }

            if (_pending.TryGetValue(key, out var existing))
            {
                var merged = existing.MergeWith(request);
                _pending[key] = merged;
                if (merged.Due < existing.Due)
                {
                    ScheduleLocked(merged);
                }
            }
            else
            {
                _pending[key] = request;
                ScheduleLocked(request);
                _metrics?.Added();
            }

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
                var now = _timeProvider.GetUtcNow();
                if (next is not null && next.Due <= now)
                {
                    _pending.Remove(next.Key);
                    _inFlight[next.Key] = _timeProvider.GetTimestamp();
                    _metrics?.Taken(now - next.Due);
                    return next;
                }

                wait = next is null ? Timeout.InfiniteTimeSpan : next.Due - now;
                changed = _changed.Task;
            }

            using var delayCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(wait, _timeProvider, delayCancellation.Token);
            await Task.WhenAny(changed, delay);
            await delayCancellation.CancelAsync();
        }
    }

    /// <summary>Ends the reconcile of <paramref name="key"/>: its next pending entry, if any, may now be handed out.</summary>
    public void Done(EntityKey key)
    {
        lock (_lock)
        {
            if (_inFlight.Remove(key, out var taken))
            {
                _metrics?.Finished(_timeProvider.GetElapsedTime(taken));
            }

            if (_pending.TryGetValue(key, out var next))
            {
                ScheduleLocked(next);
            }

            SignalLocked();
        }
    }

    /// <summary>Drops every pending entry (on leadership loss: the next leader term relists everything).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _pending.Clear();
            _byDueTime.Clear();
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

    /// <summary>The earliest pending entry whose object is not in flight; stale heap entries on top are dropped.</summary>
    private QueuedReconciliation<TEntity>? EarliestReadyLocked()
    {
        while (_byDueTime.TryPeek(out var key, out var scheduled))
        {
            if (!_inFlight.ContainsKey(key) && _pending.TryGetValue(key, out var entry) && entry.Due == scheduled.Due)
            {
                return entry;
            }

            _byDueTime.Dequeue();
        }

        return null;
    }

    /// <summary>Puts the entry on the heap unless its object is in flight (<see cref="Done"/> schedules it then).</summary>
    private void ScheduleLocked(QueuedReconciliation<TEntity> entry)
    {
        if (!_inFlight.ContainsKey(entry.Key))
        {
            _byDueTime.Enqueue(entry.Key, (entry.Due, _order++));
        }
    }

    /// <summary>
    /// Objects due and not handed out (those whose earlier entry is still being reconciled included, as in
    /// client-go), and the time spent so far on the objects handed out.
    /// </summary>
    internal WorkQueueLoad Load()
    {
        lock (_lock)
        {
            var now = _timeProvider.GetUtcNow();
            var stamp = _timeProvider.GetTimestamp();
            var due = _pending.Values.Count(e => e.Due <= now);
            var unfinished = TimeSpan.Zero;
            var longest = TimeSpan.Zero;
            foreach (var taken in _inFlight.Values)
            {
                var running = _timeProvider.GetElapsedTime(taken, stamp);
                unfinished += running;
                longest = running > longest ? running : longest;
            }

            return new WorkQueueLoad(due, unfinished, longest);
        }
    }

    private void SignalLocked()
    {
        var previous = _changed;
        _changed = NewSignal();
        previous.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
