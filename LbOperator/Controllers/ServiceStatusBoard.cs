using System.Collections.Concurrent;
using LbOperator.Framework.Entities;

namespace LbOperator.Controllers;

/// <summary>
/// Where each of our Services stood at the end of its last reconcile, and whether its gateway was ready. The metrics
/// read it at every scrape: copying every Service and Deployment out of the caches instead would cost a second of CPU
/// per scrape at 10,000 Services. A Service that is no longer ours, or gone, leaves the board.
/// </summary>
public sealed class ServiceStatusBoard
{
    private readonly ConcurrentDictionary<EntityKey, Standing> _standings = new();

    /// <summary>What the board holds for one Service.</summary>
    public sealed record Standing(ServiceState State, bool GatewayReady);

    public void Report(EntityKey service, ServiceState state, bool gatewayReady) => _standings[service] = new Standing(state, gatewayReady);

    public void Forget(EntityKey service) => _standings.TryRemove(service, out _);

    public IReadOnlyList<KeyValuePair<EntityKey, Standing>> Snapshot() => [.. _standings];
}
