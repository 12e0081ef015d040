using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace LbOperator.Benchmarks.Scale;

/// <summary>The operator's memory at one moment.</summary>
/// <param name="RssMegabytes">VmRSS from /proc/&lt;pid&gt;/status.</param>
/// <param name="GcHeapMegabytes">dotnet_total_memory_bytes from /metrics (prometheus-net's GC.GetTotalMemory(false)).</param>
public sealed record MemoryFigures(double RssMegabytes, double GcHeapMegabytes);

/// <summary>When the operator went quiet: ready, every queue empty, no worker busy and no new work for a second.</summary>
/// <param name="Seconds">From the moment given to <see cref="OperatorProcess.WaitIdleAsync"/> to the first quiet sample, or the time waited when it never got quiet.</param>
public sealed record IdleFigures(double Seconds, bool Reached);

/// <summary>
/// <c>LbOperator run</c> as a process of its own against a sandbox's kubeconfig, without leader election, with its
/// health and metrics on a free loopback port.
/// </summary>
public sealed class OperatorProcess : IDisposable
{
    private static readonly TimeSpan QuietFor = TimeSpan.FromSeconds(1);

    private readonly ChildProcess _process;
    private readonly HttpClient _http;

    private OperatorProcess(ChildProcess process, int healthPort, long startedAt)
    {
        _process = process;
        StartedAt = startedAt;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{healthPort}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>The <see cref="Stopwatch"/> timestamp of the start.</summary>
    public long StartedAt { get; }

    public int Id => _process.Id;

    public string LogPath => _process.LogPath;

    public double CpuSeconds => _process.CpuSeconds;

    public static OperatorProcess Start(ChildProcessGuard guard, BenchPaths paths, string kubeconfig, string logPath)
    {
        var port = FreePort();
        var startedAt = Stopwatch.GetTimestamp();
        var process = guard.Start(
            "operator", "dotnet",
            [paths.Operator, "run", "--kubeconfig", kubeconfig, "--leader-elect=false", "--health-port", port.ToString(CultureInfo.InvariantCulture)],
            logPath);
        return new OperatorProcess(process, port, startedAt);
    }

    /// <summary>Waits until /readyz answers 200; returns the seconds since the start.</summary>
    public async Task<double> WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            ThrowIfExited();
            if (await IsReadyAsync(cancellationToken))
            {
                return Stopwatch.GetElapsedTime(StartedAt).TotalSeconds;
            }

            await Task.Delay(50, cancellationToken);
        }

        throw new TimeoutException($"the operator was not ready within {timeout.TotalSeconds:0} s; its log: {LogPath}");
    }

    /// <summary>
    /// Samples /readyz and /metrics every 100 ms until the operator is ready, every <c>workqueue_depth</c> and
    /// <c>controller_runtime_active_workers</c> is 0 and <c>workqueue_adds_total</c> has not moved for a second.
    /// </summary>
    public async Task<IdleFigures> WaitIdleAsync(long since, TimeSpan timeout, CancellationToken cancellationToken)
    {
        long? quietSince = null;
        double quietAdds = -1;
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            ThrowIfExited();
            var now = Stopwatch.GetTimestamp();
            var quiet = false;
            var adds = 0.0;
            if (await IsReadyAsync(cancellationToken) && await MetricsOrNullAsync(cancellationToken) is { } metrics
                && metrics.Has("workqueue_depth") && metrics.Has("controller_runtime_active_workers"))
            {
                adds = metrics.Sum("workqueue_adds_total");
                quiet = metrics.Sum("workqueue_depth") == 0 && metrics.Sum("controller_runtime_active_workers") == 0;
            }

            if (!quiet || adds != quietAdds)
            {
                quietSince = quiet ? now : null;
                quietAdds = quiet ? adds : -1;
            }
            else if (quietSince is { } start && Stopwatch.GetElapsedTime(start) >= QuietFor)
            {
                return new IdleFigures(Stopwatch.GetElapsedTime(since, start).TotalSeconds, true);
            }

            await Task.Delay(100, cancellationToken);
        }

        return new IdleFigures(Stopwatch.GetElapsedTime(since).TotalSeconds, false);
    }

    public async Task<MemoryFigures> MemoryAsync(CancellationToken cancellationToken)
    {
        var rssKilobytes = (await File.ReadAllLinesAsync($"/proc/{Id}/status", cancellationToken))
            .Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(l => double.Parse(l["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture))
            .Single();
        var metrics = await MetricsOrNullAsync(cancellationToken) ?? throw new InvalidOperationException("the operator's /metrics did not answer");
        var heap = metrics.First("dotnet_total_memory_bytes") ?? double.NaN;
        return new MemoryFigures(rssKilobytes / 1024, heap / (1024 * 1024));
    }

    /// <summary>SIGTERM, then waits for the exit (killing it after 30 s); returns the seconds it took.</summary>
    public async Task<(double Seconds, bool ExitedByItself)> StopAsync(CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var clean = await _process.StopAsync(TimeSpan.FromSeconds(30), cancellationToken);
        return (Stopwatch.GetElapsedTime(start).TotalSeconds, clean);
    }

    public void Dispose()
    {
        _http.Dispose();
        _process.Dispose();
    }

    private async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync("/readyz", cancellationToken);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task<PrometheusText?> MetricsOrNullAsync(CancellationToken cancellationToken)
    {
        try
        {
            return PrometheusText.Parse(await _http.GetStringAsync("/metrics", cancellationToken));
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private void ThrowIfExited()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"the operator exited; its log ({LogPath}):{Environment.NewLine}{_process.Tail()}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
