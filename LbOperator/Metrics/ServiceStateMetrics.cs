using LbOperator.Controllers;
using LbOperator.Framework.Health;
using LbOperator.Framework.Metrics;
using LbOperator.LoadBalancing;

namespace LbOperator.Metrics;

/// <summary>
/// LbOperator's Services by state and reason (<see cref="ServiceState"/>), and whether each one's gateway
/// Deployment is ready, as each Service's last reconcile found them (<see cref="ServiceStatusBoard"/>). The ready and pending
/// series are always there; a failure reason's series appears the first time a Service fails for it and then
/// stays, at 0 when no Service fails for it any more, so alerts and graphs see a steady set of series.
/// </summary>
public sealed class ServiceStateMetrics : IMetricsSource
{
    private static readonly ServiceState[] AlwaysShown =
    [
        new(ServiceState.Ready, EventReasons.GatewayReady),
        new(ServiceState.Pending, EventReasons.GatewayPending),
    ];

    private readonly Lock _lock = new();
    private readonly HashSet<ServiceState> _seen = [.. AlwaysShown];
    private readonly ServiceStatusBoard _board;
    private readonly OperatorHealth _health;
    private readonly SnapshotGauge _byState;
    private readonly SnapshotGauge _gatewayReady;

    public ServiceStateMetrics(OperatorMetrics metrics, ServiceStatusBoard board, OperatorHealth health)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _board = board;
        _health = health;
        _byState = new SnapshotGauge(metrics.Registry, DomainMetricNames.Services,
            "LoadBalancer Services LbOperator serves, by state (ready, pending, failed) and the reason of their LoadBalancerReady condition.",
            "state", "reason");
        _gatewayReady = new SnapshotGauge(metrics.Registry, DomainMetricNames.GatewayReady,
            "1 when the Service's gateway Deployment lb-svc-<service> is ready, 0 when it is not or does not exist, by Service.",
            "namespace", "service");
    }

    public void Update()
    {
        if (!DomainMetricNames.Serving(_health))
        {
            _byState.Publish([]);
            _gatewayReady.Publish([]);
            return;
        }

        var standings = _board.Snapshot();
        var counts = standings.GroupBy(s => s.Value.State).ToDictionary(g => g.Key, g => g.Count());
        lock (_lock)
        {
            _seen.UnionWith(counts.Keys);
            _byState.Publish(_seen.Select(state => new GaugeSample([state.State, state.Reason], counts.GetValueOrDefault(state))));
        }

        _gatewayReady.Publish(standings.Select(s => new GaugeSample(
            [s.Key.Namespace ?? "", s.Key.Name], s.Value.GatewayReady ? 1 : 0)));
    }
}
