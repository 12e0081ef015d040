using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace LbOperator.Framework.Metrics;

/// <summary>The per-host registry: .NET process figures, and every <see cref="IMetricsSource"/> updated before each collection.</summary>
internal static class OperatorRegistry
{
    public static CollectorRegistry Create(IServiceProvider services)
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        // process_cpu_seconds_total, process_working_set_bytes, process_start_time_seconds, GC counts, …
        DotNetStats.Register(registry);
        registry.AddBeforeCollectCallback(() =>
        {
            foreach (var source in services.GetServices<IMetricsSource>())
            {
                source.Update();
            }
        });
        return registry;
    }
}
