using System.Collections.Concurrent;
using LbOperator.Framework.Builder;
using Prometheus;

namespace LbOperator.Framework.Metrics;

/// <summary>
/// The framework's metrics, under the names, labels and buckets controller-runtime operators export, so that
/// dashboards and alerts written for those work unchanged: reconciles and workers per controller, the work queue
/// of each controller, requests to the API server, leader election. One instance per host, on the host's own
/// <see cref="CollectorRegistry"/> (never prometheus-net's static default registry), so several operators in one
/// process keep their figures apart.
/// </summary>
public sealed class OperatorMetrics
{
    // controller-runtime's buckets for reconcile time: 5 ms to 60 s, fine-grained below 1 s.
    private static readonly double[] ReconcileTimeBuckets =
    [
        0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0,
        1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
    ];

    // client-go's work queue buckets: powers of ten from 10 ns to 1000 s.
    private static readonly double[] QueueBuckets = Histogram.ExponentialBuckets(1e-8, 10, 12);

    private readonly ConcurrentDictionary<string, ControllerMetrics> _controllers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, WorkQueueMetrics> _queues = new(StringComparer.Ordinal);
    private readonly Counter _reconcileTotal;
    private readonly Counter _reconcileErrors;
    private readonly Histogram _reconcileTime;
    private readonly Gauge _maxConcurrentReconciles;
    private readonly Gauge _activeWorkers;
    private readonly Gauge _queueDepth;
    private readonly Counter _queueAdds;
    private readonly Counter _queueRetries;
    private readonly Histogram _queueDuration;
    private readonly Histogram _workDuration;
    private readonly Gauge _unfinishedWork;
    private readonly Gauge _longestRunningProcessor;
    private readonly Counter _restClientRequests;
    private readonly Gauge.Child _leader;
    private readonly Counter _watchRestarts;

    public OperatorMetrics(CollectorRegistry registry, OperatorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(settings);
        Registry = registry;
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        string[] controller = ["controller"];
        string[] queue = ["name", "controller"];
        _reconcileTotal = factory.CreateCounter(
            "controller_runtime_reconcile_total", "Reconciles finished, by controller and result (success, error, requeue, requeue_after).",
            ["controller", "result"]);
        _reconcileErrors = factory.CreateCounter(
            "controller_runtime_reconcile_errors_total", "Reconciles that failed (an exception, a Failure result or a write conflict), by controller.",
            controller);
        _reconcileTime = factory.CreateHistogram(
            "controller_runtime_reconcile_time_seconds", "How long each reconcile took, by controller.",
            controller, new HistogramConfiguration { Buckets = ReconcileTimeBuckets });
        _maxConcurrentReconciles = factory.CreateGauge(
            "controller_runtime_max_concurrent_reconciles", "How many objects of the controller's kind may be reconciled at once.", controller);
        _activeWorkers = factory.CreateGauge(
            "controller_runtime_active_workers", "How many of the controller's workers are reconciling right now.", controller);
        _queueDepth = factory.CreateGauge(
            "workqueue_depth", "Objects due for a reconcile that no worker has taken yet, by queue.", queue);
        _queueAdds = factory.CreateCounter(
            "workqueue_adds_total", "Objects put into the queue (a request for an object already waiting merges with it and is not counted).", queue);
        _queueRetries = factory.CreateCounter(
            "workqueue_retries_total", "Objects put back into the queue to be tried again after a failed reconcile or an immediate requeue.", queue);
        _queueDuration = factory.CreateHistogram(
            "workqueue_queue_duration_seconds", "How long an object waited in the queue, from when it was due until a worker took it.",
            queue, new HistogramConfiguration { Buckets = QueueBuckets });
        _workDuration = factory.CreateHistogram(
            "workqueue_work_duration_seconds", "How long a worker spent on an object it took from the queue.",
            queue, new HistogramConfiguration { Buckets = QueueBuckets });
        _unfinishedWork = factory.CreateGauge(
            "workqueue_unfinished_work_seconds",
            "Seconds spent so far on the objects being worked on; a value that keeps growing means a stuck worker.", queue);
        _longestRunningProcessor = factory.CreateGauge(
            "workqueue_longest_running_processor_seconds", "Seconds the longest running piece of work of the queue has been running.", queue);
        _restClientRequests = factory.CreateCounter(
            "rest_client_requests_total", "HTTP requests to the API server, by status code (<error> when no answer came), method and host.",
            ["code", "method", "host"]);
        _leader = factory.CreateGauge(
                "leader_election_master_status",
                "1 while this replica leads and reconciles, 0 while it waits; name is the lease's name (group by it).", ["name"])
            .WithLabels(settings.LeaseName);
        _watchRestarts = factory.CreateCounter(
            "operator_watch_restarts_total", "Watches that failed or expired and were started again, by API version and kind.", ["kind"]);
        registry.AddBeforeCollectCallback(SampleQueues);
    }

    /// <summary>The registry served at <c>/metrics</c>; an operator adds its own metrics here (see <see cref="IMetricsSource"/>).</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>The metrics of the controller named <paramref name="controller"/>; every series starts at 0.</summary>
    internal ControllerMetrics ForController(string controller, int maxConcurrentReconciles) =>
        _controllers.GetOrAdd(controller, name =>
        {
            _maxConcurrentReconciles.WithLabels(name).Set(maxConcurrentReconciles);
            return new ControllerMetrics(
                ReconcileOutcomes.All.ToDictionary(o => o, o => _reconcileTotal.WithLabels(name, ReconcileOutcomes.Label(o))),
                _reconcileErrors.WithLabels(name),
                _reconcileTime.WithLabels(name),
                _activeWorkers.WithLabels(name),
                ForQueue(name));
        });

    /// <summary>The metrics of the work queue named <paramref name="name"/> (controller-runtime names a controller's queue after it).</summary>
    internal WorkQueueMetrics ForQueue(string name) =>
        _queues.GetOrAdd(name, queue => new WorkQueueMetrics(
            _queueDepth.WithLabels(queue, queue),
            _queueAdds.WithLabels(queue, queue),
            _queueRetries.WithLabels(queue, queue),
            _queueDuration.WithLabels(queue, queue),
            _workDuration.WithLabels(queue, queue),
            _unfinishedWork.WithLabels(queue, queue),
            _longestRunningProcessor.WithLabels(queue, queue)));

    internal void RestRequestFinished(string code, string method, string host) => _restClientRequests.WithLabels(code, method, host).Inc();

    /// <summary>Whether this replica runs a term (leads, or reconciles without leader election).</summary>
    internal void SetLeading(bool leading) => _leader.Set(leading ? 1 : 0);

    internal void WatchRestarted(string kind) => _watchRestarts.WithLabels(kind).Inc();

    private void SampleQueues()
    {
        foreach (var queue in _queues.Values)
        {
            queue.Sample();
        }
    }
}
