using Prometheus;

namespace LbOperator.Framework.Metrics;

/// <summary>
/// The series of one work queue. Counters and histograms move as the queue works; the gauges (depth, unfinished
/// work, longest running) are sampled from the queue each time the registry is collected.
/// </summary>
internal sealed class WorkQueueMetrics(
    Gauge.Child depth,
    Counter.Child adds,
    Counter.Child retries,
    Histogram.Child queueDuration,
    Histogram.Child workDuration,
    Gauge.Child unfinishedWork,
    Gauge.Child longestRunning)
{
    private Func<WorkQueueLoad>? _load;

    /// <summary>Where the gauges are read from (the queue itself); set once, when the queue is created.</summary>
    public void Track(Func<WorkQueueLoad> load) => _load = load;

    public void Added() => adds.Inc();

    public void Retried() => retries.Inc();

    /// <summary>A worker took an object that had been due for <paramref name="waited"/>.</summary>
    public void Taken(TimeSpan waited) => queueDuration.Observe(Math.Max(0, waited.TotalSeconds));

    /// <summary>A worker finished an object after <paramref name="worked"/>.</summary>
    public void Finished(TimeSpan worked) => workDuration.Observe(Math.Max(0, worked.TotalSeconds));

    public void Sample()
    {
        if (_load is not { } load)
        {
            return;
        }

        var now = load();
        depth.Set(now.Depth);
        unfinishedWork.Set(now.Unfinished.TotalSeconds);
        longestRunning.Set(now.LongestRunning.TotalSeconds);
    }
}

/// <summary>A queue's state at one moment: objects due and not taken, and the time spent on those being worked on.</summary>
internal readonly record struct WorkQueueLoad(int Depth, TimeSpan Unfinished, TimeSpan LongestRunning);
