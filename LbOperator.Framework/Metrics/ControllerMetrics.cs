using Prometheus;

namespace LbOperator.Framework.Metrics;

/// <summary>The series of one controller (named after its kind, lower-cased, as controller-runtime names it).</summary>
internal sealed class ControllerMetrics(
    IReadOnlyDictionary<ReconcileOutcome, Counter.Child> reconciles,
    Counter.Child errors,
    Histogram.Child reconcileTime,
    Gauge.Child activeWorkers,
    WorkQueueMetrics queue)
{
    public WorkQueueMetrics Queue => queue;

    /// <summary>Counts a finished reconcile; an error also counts as a retry of the queue, as client-go's rate-limited add does.</summary>
    public void Finished(ReconcileOutcome outcome)
    {
        reconciles[outcome].Inc();
        if (outcome == ReconcileOutcome.Error)
        {
            errors.Inc();
        }

        if (outcome is ReconcileOutcome.Error or ReconcileOutcome.Requeue)
        {
            queue.Retried();
        }
    }

    public void ObserveReconcileTime(TimeSpan duration) => reconcileTime.Observe(duration.TotalSeconds);

    public void WorkerStarted() => activeWorkers.Inc();

    public void WorkerFinished() => activeWorkers.Dec();
}
