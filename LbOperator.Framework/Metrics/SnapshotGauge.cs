using Prometheus;

namespace LbOperator.Framework.Metrics;

/// <summary>
/// A gauge whose whole set of series is replaced at once, for figures computed from state (an
/// <see cref="IMetricsSource"/>): series not in the new set are removed, so an object that is gone leaves no stale
/// series behind.
/// </summary>
public sealed class SnapshotGauge
{
    private readonly Lock _lock = new();
    private readonly Gauge _gauge;
    private Dictionary<string, string[]> _published = new(StringComparer.Ordinal);

    public SnapshotGauge(CollectorRegistry registry, string name, string help, params string[] labelNames)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _gauge = Prometheus.Metrics.WithCustomRegistry(registry).CreateGauge(name, help, labelNames);
    }

    /// <summary>Sets every series of <paramref name="samples"/> and removes all others.</summary>
    public void Publish(IEnumerable<GaugeSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        lock (_lock)
        {
            var next = new Dictionary<string, string[]>(StringComparer.Ordinal);
            foreach (var sample in samples)
            {
                string[] labels = [.. sample.Labels];
                _gauge.WithLabels(labels).Set(sample.Value);
                next[string.Join('\0', labels)] = labels;
            }

            foreach (var (key, labels) in _published)
            {
                if (!next.ContainsKey(key))
                {
                    _gauge.RemoveLabelled(labels);
                }
            }

            _published = next;
        }
    }
}

/// <summary>One series of a <see cref="SnapshotGauge"/>: its label values, in the gauge's label order, and its value.</summary>
public sealed record GaugeSample(IReadOnlyList<string> Labels, double Value);
