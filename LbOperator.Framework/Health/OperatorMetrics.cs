using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace LbOperator.Framework.Health;

/// <summary>A few counters served at <c>/metrics</c> in the Prometheus text format.</summary>
public sealed class OperatorMetrics(OperatorHealth health)
{
    private readonly ConcurrentDictionary<(string Kind, string Result), long> _reconciles = new();
    private readonly ConcurrentDictionary<string, long> _watchRestarts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Func<int>> _queueDepths = new(StringComparer.Ordinal);

    internal void ReconcileFinished(string kind, string result) => _reconciles.AddOrUpdate((kind, result), 1, (_, n) => n + 1);

    internal void WatchRestarted(string kind) => _watchRestarts.AddOrUpdate(kind, 1, (_, n) => n + 1);

    internal void TrackQueue(string kind, Func<int> depth) => _queueDepths[kind] = depth;

    public string Render()
    {
        var text = new StringBuilder();
        text.AppendLine("# TYPE operator_reconciliations_total counter");
        foreach (var ((kind, result), count) in _reconciles.OrderBy(p => p.Key.Kind, StringComparer.Ordinal).ThenBy(p => p.Key.Result, StringComparer.Ordinal))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"operator_reconciliations_total{{kind=\"{kind}\",result=\"{result}\"}} {count}");
        }

        text.AppendLine("# TYPE operator_watch_restarts_total counter");
        foreach (var (kind, count) in _watchRestarts.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"operator_watch_restarts_total{{kind=\"{kind}\"}} {count}");
        }

        text.AppendLine("# TYPE operator_queue_depth gauge");
        foreach (var (kind, depth) in _queueDepths.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"operator_queue_depth{{kind=\"{kind}\"}} {depth()}");
        }

        text.AppendLine("# TYPE operator_reconciling gauge");
        text.AppendLine(CultureInfo.InvariantCulture, $"operator_reconciling {(health.IsReconciling ? 1 : 0)}");
        return text.ToString();
    }
}
