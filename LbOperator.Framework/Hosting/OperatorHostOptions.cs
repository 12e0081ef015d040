using LbOperator.Framework.Builder;
using Microsoft.Extensions.Logging;

namespace LbOperator.Framework.Hosting;

/// <summary>How <see cref="OperatorHost"/> runs the operator process.</summary>
public sealed record OperatorHostOptions
{
    /// <summary>Port of <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c>; 0 picks a free port; null serves none.</summary>
    public int? HealthPort { get; init; } = 8081;

    /// <summary>Address the health endpoints listen on (all interfaces by default, for the kubelet's probes).</summary>
    public string HealthBindAddress { get; init; } = "0.0.0.0";

    public LogLevel MinimumLogLevel { get; init; } = LogLevel.Information;

    /// <summary>One JSON object per log line instead of one text line.</summary>
    public bool JsonLogs { get; init; }

    /// <summary>How long a stop (SIGTERM) waits for in-flight work.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Operator settings on top of the defaults (name, namespace, leader election, timings).</summary>
    public Action<OperatorSettingsBuilder>? ConfigureSettings { get; init; }
}
