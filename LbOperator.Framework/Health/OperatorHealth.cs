using System.Collections.Concurrent;

namespace LbOperator.Framework.Health;

/// <summary>
/// Liveness and readiness of this replica. Ready means: a standby replica waiting for the lease, or the leader
/// with every watch synced and connected and the startup tasks done. Not ready while any watch is down.
/// </summary>
public sealed class OperatorHealth
{
    private readonly ConcurrentDictionary<string, WatchStatus> _watches = new(StringComparer.Ordinal);
    private volatile bool _reconciling;
    private volatile bool _startupComplete;
    private volatile string? _fault;

    /// <summary>True while this replica reconciles (leads, or runs without leader election).</summary>
    public bool IsReconciling => _reconciling;

    public bool StartupComplete => _startupComplete;

    /// <summary>Per watched kind: connected, synced, and the last error.</summary>
    public IReadOnlyDictionary<string, WatchStatus> Watches => _watches;

    public HealthReport Liveness() => _fault is null ? new HealthReport(true, "ok") : new HealthReport(false, _fault);

    public HealthReport Readiness()
    {
        if (_fault is not null)
        {
            return new HealthReport(false, _fault);
        }

        if (!_reconciling)
        {
            return new HealthReport(true, "standby: waiting for the leader lease");
        }

        var down = _watches.Where(pair => !pair.Value.Up || !pair.Value.Synced)
            .Select(pair => $"{pair.Key}: {(pair.Value.Synced ? "watch down" : "not synced")}{(pair.Value.LastError is { } e ? $" ({e})" : string.Empty)}")
            .ToList();
        if (down.Count > 0)
        {
            return new HealthReport(false, string.Join("; ", down));
        }

        return _startupComplete ? new HealthReport(true, "ok") : new HealthReport(false, "startup tasks running");
    }

    internal void BeginTerm(IEnumerable<string> kinds)
    {
        _watches.Clear();
        foreach (var kind in kinds)
        {
            _watches[kind] = new WatchStatus(false, false, null);
        }

        _startupComplete = false;
        _reconciling = true;
    }

    internal void EndTerm()
    {
        _reconciling = false;
        _startupComplete = false;
        _watches.Clear();
    }

    internal void MarkStartupComplete() => _startupComplete = true;

    internal void WatchUp(string kind) => _watches.AddOrUpdate(kind, new WatchStatus(true, false, null), (_, s) => s with { Up = true, LastError = null });

    internal void WatchSynced(string kind) => _watches.AddOrUpdate(kind, new WatchStatus(true, true, null), (_, s) => s with { Up = true, Synced = true, LastError = null });

    internal void WatchDown(string kind, string error) => _watches.AddOrUpdate(kind, new WatchStatus(false, false, error), (_, s) => s with { Up = false, LastError = error });

    internal void Fault(string reason) => _fault = reason;
}

/// <summary>The state of one watched kind.</summary>
public sealed record WatchStatus(bool Up, bool Synced, string? LastError);

/// <summary>A probe's answer.</summary>
public sealed record HealthReport(bool Healthy, string Detail);
