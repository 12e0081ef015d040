using LbOperator.Sandbox.Api;

namespace LbOperator.Sandbox.Faults;

/// <summary>
/// A share of matching writes fails with <see cref="Code"/>: 409 Conflict, 500 InternalError, 403 Forbidden (as a
/// ResourceQuota or a policy refuses) or 422 Invalid (as an admission webhook denies). With <see cref="AfterWrite"/>
/// the write is applied first and only its answer is a 500, as when a response is lost after the commit: the client
/// cannot tell whether it happened.
/// </summary>
/// <param name="Resource">
/// Plural resource name (<c>services</c>: the object and its subresources), a subresource alone
/// (<c>services/status</c>), or null for every resource.
/// </param>
/// <param name="Verb">create, update, patch, delete or deletecollection; null for every write.</param>
/// <param name="Share">Fraction of matching writes that fail, 0 to 1.</param>
/// <param name="AfterWrite">Apply the write, then answer 500 (only with <see cref="Code"/> 500).</param>
public sealed record WriteFailure(string? Resource, string? Verb, double Share, int Code, bool AfterWrite = false)
{
    public bool Matches(string resource, string verb) => Matches(resource, "", verb);

    public bool Matches(string resource, string subresource, string verb) =>
        (Resource is null || Resource == resource || (subresource.Length > 0 && Resource == $"{resource}/{subresource}"))
        && (Verb is null || Verb == verb);
}

/// <summary>Added latency before matching requests are served.</summary>
public sealed record Latency(TimeSpan Delay, string? Resource = null, string? Verb = null)
{
    public bool Matches(string resource, string verb) => (Resource is null || Resource == resource) && (Verb is null || Verb == verb);
}

/// <summary>
/// Fault injection for reliability tests: drop watch streams, answer watches with 410 Expired, fail a share of
/// writes, add latency. Applies to HTTP requests only (the built-in controllers are never faulted). Thread safe.
/// </summary>
public sealed class SandboxFaults : IDisposable
{
    private static readonly HashSet<string> WriteVerbs = new(["create", "update", "patch", "delete", "deletecollection"], StringComparer.Ordinal);

    private readonly Lock _gate = new();
    private readonly Random _random;
    private readonly HashSet<CancellationTokenSource> _watches = [];
    private readonly List<WriteFailure> _writeFailures = [];
    private readonly List<Latency> _latencies = [];
    private Timer? _dropTimer;
    private TimeSpan? _dropPeriod;
    private bool _expireWatches;
    private long _droppedWatches;
    private long _failedWrites;
    private long _expiredWatches;

    public SandboxFaults(int? seed = null) => _random = seed is { } s ? new Random(s) : new Random();

    /// <summary>Watch streams currently open.</summary>
    public int OpenWatches
    {
        get
        {
            lock (_gate)
            {
                return _watches.Count;
            }
        }
    }

    /// <summary>Streams closed by <see cref="DropWatches"/> (directly or periodically) so far.</summary>
    public long DroppedWatches => Interlocked.Read(ref _droppedWatches);

    /// <summary>Writes failed by a <see cref="WriteFailure"/> rule so far.</summary>
    public long FailedWrites => Interlocked.Read(ref _failedWrites);

    /// <summary>Watches answered with 410 Expired by <see cref="ExpireWatches"/> so far.</summary>
    public long ExpiredWatches => Interlocked.Read(ref _expiredWatches);

    /// <summary>Closes every open watch stream now (the client sees the response end, as on an apiserver restart).</summary>
    public int DropWatches()
    {
        List<CancellationTokenSource> open;
        lock (_gate)
        {
            open = [.. _watches];
            _watches.Clear();
        }

        var dropped = 0;
        foreach (var watch in open)
        {
            try
            {
                watch.Cancel();
                dropped++;
            }
            catch (ObjectDisposedException)
            {
                // The stream ended between the copy and now: nothing is left to drop.
            }
        }

        Interlocked.Add(ref _droppedWatches, dropped);
        return dropped;
    }

    /// <summary>Closes every open watch stream every <paramref name="period"/>; null stops.</summary>
    public void DropWatchesEvery(TimeSpan? period)
    {
        lock (_gate)
        {
            _dropTimer?.Dispose();
            _dropTimer = null;
            _dropPeriod = period;
            if (period is { } p && p > TimeSpan.Zero)
            {
                _dropTimer = new Timer(_ => DropWatches(), null, p, p);
            }
        }
    }

    /// <summary>While on, every new watch is answered with a 410 Expired ERROR event.</summary>
    public void ExpireWatches(bool on)
    {
        lock (_gate)
        {
            _expireWatches = on;
        }
    }

    public void FailWrites(WriteFailure rule)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rule.Share, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rule.Share, 1);
        if (rule.Code is not (403 or 409 or 422 or 500))
        {
            throw new ArgumentOutOfRangeException(nameof(rule), rule.Code, "write failures answer 403, 409, 422 or 500");
        }

        if (rule.AfterWrite && rule.Code != 500)
        {
            throw new ArgumentOutOfRangeException(nameof(rule), rule.Code, "a write whose answer is lost answers 500");
        }

        lock (_gate)
        {
            _writeFailures.Add(rule);
        }
    }

    public void AddLatency(Latency latency)
    {
        lock (_gate)
        {
            _latencies.Add(latency);
        }
    }

    /// <summary>Removes every fault (open watches stay open).</summary>
    public void Reset()
    {
        DropWatchesEvery(null);
        lock (_gate)
        {
            _writeFailures.Clear();
            _latencies.Clear();
            _expireWatches = false;
        }
    }

    /// <summary>The configured faults, for the HTTP endpoint.</summary>
    public FaultState State
    {
        get
        {
            lock (_gate)
            {
                return new FaultState(_dropPeriod, _expireWatches, [.. _writeFailures], [.. _latencies], _watches.Count, DroppedWatches, FailedWrites, ExpiredWatches);
            }
        }
    }

    /// <summary>
    /// Applies latency, then fails the request if a write-failure rule says so. Returns the 500 to answer instead of
    /// the result when a rule says the write is applied but its answer lost; null otherwise.
    /// </summary>
    internal async Task<ApiException?> BeforeRequestAsync(
        ResourceDescriptor descriptor, string verb, string name, string subresource, CancellationToken cancellationToken)
    {
        TimeSpan delay;
        ApiException? failure = null;
        ApiException? lostAnswer = null;
        lock (_gate)
        {
            delay = _latencies.Where(l => l.Matches(descriptor.Plural, verb)).Select(l => l.Delay).DefaultIfEmpty(TimeSpan.Zero).Max();
            if (WriteVerbs.Contains(verb))
            {
                foreach (var rule in _writeFailures)
                {
                    if (rule.Matches(descriptor.Plural, subresource, verb) && _random.NextDouble() < rule.Share)
                    {
                        if (rule.AfterWrite)
                        {
                            lostAnswer = ApiErrors.Internal($"injected fault: {verb} {ApiErrors.GroupResource(descriptor)} \"{name}\" was applied but its answer is lost");
                            break;
                        }

                        failure = rule.Code switch
                        {
                            409 => ApiErrors.StaleResourceVersion(descriptor, name),
                            403 => ApiErrors.Forbidden(descriptor, name, "exceeded quota: injected fault"),
                            422 => ApiErrors.Invalid(descriptor, name,
                                [FieldError.Invalid("metadata.name", name, "admission webhook \"injected.fault\" denied the request")]),
                            _ => ApiErrors.Internal($"injected fault: {verb} {ApiErrors.GroupResource(descriptor)} \"{name}\""),
                        };
                        break;
                    }
                }
            }
        }

        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, cancellationToken);
        }

        if (failure is not null || lostAnswer is not null)
        {
            Interlocked.Increment(ref _failedWrites);
        }

        return failure is not null ? throw failure : lostAnswer;
    }

    /// <summary>True when the next watch must be answered with 410 Expired.</summary>
    internal bool ShouldExpireWatch()
    {
        lock (_gate)
        {
            if (_expireWatches)
            {
                Interlocked.Increment(ref _expiredWatches);
            }

            return _expireWatches;
        }
    }

    /// <summary>Tracks an open watch stream so it can be dropped; dispose when the stream ends.</summary>
    internal IDisposable TrackWatch(CancellationTokenSource stream)
    {
        lock (_gate)
        {
            _watches.Add(stream);
        }

        return new Registration(this, stream);
    }

    public void Dispose()
    {
        DropWatchesEvery(null);
    }

    private sealed class Registration(SandboxFaults faults, CancellationTokenSource stream) : IDisposable
    {
        public void Dispose()
        {
            lock (faults._gate)
            {
                faults._watches.Remove(stream);
            }
        }
    }
}

/// <summary>What <see cref="SandboxFaults"/> is set to, and what it has done.</summary>
public sealed record FaultState(
    TimeSpan? DropWatchesEvery,
    bool ExpireWatches,
    IReadOnlyList<WriteFailure> WriteFailures,
    IReadOnlyList<Latency> Latencies,
    int OpenWatches,
    long DroppedWatches,
    long FailedWrites,
    long ExpiredWatches);
