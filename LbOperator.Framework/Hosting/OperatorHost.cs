using System.Net;
using k8s;
using LbOperator.Framework.Builder;
using LbOperator.Framework.Health;
using LbOperator.Framework.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace LbOperator.Framework.Hosting;

/// <summary>
/// The one way to start an operator process: a host with the operator runtime against
/// <paramref name="configuration"/>'s cluster, structured console logs, graceful stop on SIGTERM/Ctrl-C, and the
/// health endpoints on Kestrel.
/// </summary>
public static class OperatorHost
{
    public static WebApplication Build(KubernetesClientConfiguration configuration, OperatorHostOptions options, Action<IOperatorBuilder> register)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(register);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(options.MinimumLogLevel);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        if (options.JsonLogs)
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.IncludeScopes = true;
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        }

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.ShutdownTimeout);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (options.HealthPort is { } port)
            {
                kestrel.Listen(IPAddress.Parse(options.HealthBindAddress), port);
            }
        });
        if (options.HealthPort is null)
        {
            builder.Services.AddSingleton<IServer, NoServer>();
        }

        builder.Services.AddSingleton(configuration);
        var operatorBuilder = builder.Services.AddKubernetesOperator(options.ConfigureSettings);
        register(operatorBuilder);

        var app = builder.Build();
        if (options.HealthPort is not null)
        {
            MapHealthEndpoints(app);
        }

        return app;
    }

    /// <summary>The address the health endpoints listen on once the host has started (resolves port 0).</summary>
    public static Uri? HealthAddress(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        return address is null ? null : new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
    }

    private static void MapHealthEndpoints(WebApplication app)
    {
        var health = app.Services.GetRequiredService<OperatorHealth>();
        app.MapGet("/healthz", () => Report(health.Liveness()));
        app.MapGet("/readyz", () => Report(health.Readiness()));
        app.MapMetrics("/metrics", app.Services.GetRequiredService<OperatorMetrics>().Registry);
    }

    private static IResult Report(HealthReport report) =>
        Results.Text(report.Detail + "\n", "text/plain", statusCode: report.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
}
