using System.Diagnostics;
using k8s;

namespace LbOperator.Benchmarks.Scale;

/// <summary>
/// The operator on a fresh sandbox: started and ready over the set-up objects, then the same client creates the same
/// Services; timed until a watch shows every Service with an address, then until the operator is idle. Then the
/// restart: SIGTERM, start again over the served Services, timed until it is ready and idle.
/// </summary>
public static class OperatorPhase
{
    public static async Task<(OperatorFigures Operator, RestartFigures Restart)> RunAsync(
        ChildProcessGuard guard, BenchPaths paths, ScaleOptions options, string directory, TextWriter progress, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        using var sandbox = await SandboxProcess.StartAsync(guard, paths, directory, cancellationToken);
        using var client = sandbox.CreateClient();
        var cluster = new BenchCluster(options.Services, options.Namespaces);
        await cluster.SetUpAsync(client, paths, cancellationToken);
        var idleTimeout = TimeSpan.FromSeconds(Math.Max(120, options.Services * 0.2));

        await progress.WriteLineAsync($"==> operator: starting it against the sandbox at {sandbox.BaseAddress}");
        var first = OperatorProcess.Start(guard, paths, sandbox.Kubeconfig, Path.Combine(directory, "operator-1.log"));
        OperatorFigures served;
        try
        {
            served = await ServeAsync(first, sandbox, client, cluster, options, idleTimeout, progress, cancellationToken);
        }
        catch
        {
            first.Dispose();
            throw;
        }

        var restart = await RestartAsync(first, guard, paths, sandbox, client, options, directory, idleTimeout, progress, cancellationToken);
        await sandbox.StopAsync(cancellationToken);
        return (served, restart);
    }

    private static async Task<OperatorFigures> ServeAsync(
        OperatorProcess op, SandboxProcess sandbox, Kubernetes client, BenchCluster cluster, ScaleOptions options, TimeSpan idleTimeout,
        TextWriter progress, CancellationToken cancellationToken)
    {
        var startup = await op.WaitReadyAsync(TimeSpan.FromSeconds(60), cancellationToken);
        var startIdle = await op.WaitIdleAsync(op.StartedAt, idleTimeout, cancellationToken);
        await progress.WriteLineAsync($"    ready after {startup:0.00} s, idle after {startIdle.Seconds:0.00} s");

        await using var watch = await IngressWatch.StartAsync(client, options.Services, cancellationToken);
        await sandbox.RequestsAsync(reset: true, cancellationToken);
        await progress.WriteLineAsync($"==> operator: {options.Services} Services with {options.Workers} workers; waiting (by watch) for every ingress address");
        var cpu = new CpuMeter(() => sandbox.CpuSeconds, () => op.CpuSeconds);
        var start = Stopwatch.GetTimestamp();
        await WorkerPool.RunAsync(
            options.Services, options.Workers,
            async (index, token) =>
            {
                var service = cluster.Service(index);
                await client.CoreV1.CreateNamespacedServiceAsync(service, service.Metadata.NamespaceProperty, cancellationToken: token);
            },
            cancellationToken);
        await progress.WriteLineAsync($"    created in {Stopwatch.GetElapsedTime(start).TotalSeconds:0.00} s; {watch.Count} with an address so far");
        var seconds = await watch.WaitAllAsync(start, TimeSpan.FromSeconds(120), cancellationToken);
        await progress.WriteLineAsync($"    every Service has its address after {seconds:0.00} s; waiting for the operator to be idle");
        var settle = await op.WaitIdleAsync(start, idleTimeout, cancellationToken);
        var used = cpu.Stop();
        await progress.WriteLineAsync($"    {(settle.Reached ? "idle" : "still not idle")} after {settle.Seconds:0.00} s");
        var requests = await sandbox.RequestsAsync(reset: true, cancellationToken);
        var memory = await op.MemoryAsync(cancellationToken);

        var ops = requests.Except(SandboxProcess.Agent);
        var n = (double)options.Services;
        return new OperatorFigures(
            startup, seconds, n / seconds, settle, ops.Agents, ops.Writes, ops.Reads, ops.Writes / n, ops.Reads / n, ops.Failed,
            requests.Only(SandboxProcess.Agent).Total, ops.ByVerbAndResource(), memory, used);
    }

    private static async Task<RestartFigures> RestartAsync(
        OperatorProcess first, ChildProcessGuard guard, BenchPaths paths, SandboxProcess sandbox, Kubernetes client, ScaleOptions options,
        string directory, TimeSpan idleTimeout, TextWriter progress, CancellationToken cancellationToken)
    {
        await progress.WriteLineAsync("==> restart: SIGTERM to the operator");
        (double Seconds, bool ExitedByItself) stop;
        using (first)
        {
            stop = await first.StopAsync(cancellationToken);
        }

        var stopRequests = (await sandbox.RequestsAsync(reset: true, cancellationToken)).Except(SandboxProcess.Agent);
        var before = await ServiceAddresses.ReadAsync(client, cancellationToken);
        await sandbox.RequestsAsync(reset: true, cancellationToken);
        await progress.WriteLineAsync($"    exited after {stop.Seconds:0.00} s{(stop.ExitedByItself ? "" : " (killed)")}; starting it again");

        using var second = OperatorProcess.Start(guard, paths, sandbox.Kubeconfig, Path.Combine(directory, "operator-2.log"));
        var cpu = new CpuMeter(() => sandbox.CpuSeconds, () => second.CpuSeconds);
        var ready = await second.WaitReadyAsync(TimeSpan.FromSeconds(Math.Max(60, options.Services * 0.05)), cancellationToken);
        var idle = await second.WaitIdleAsync(second.StartedAt, idleTimeout, cancellationToken);
        var used = cpu.Stop();
        var requests = (await sandbox.RequestsAsync(reset: true, cancellationToken)).Except(SandboxProcess.Agent);
        await progress.WriteLineAsync($"    ready after {ready:0.00} s, {(idle.Reached ? "idle" : "still not idle")} after {idle.Seconds:0.00} s");
        var after = await ServiceAddresses.ReadAsync(client, cancellationToken);
        var memory = await second.MemoryAsync(cancellationToken);
        await second.StopAsync(cancellationToken);
        return new RestartFigures(
            stop.Seconds, stop.ExitedByItself, stopRequests.Total, ready, idle, requests.Writes, requests.Of("get"), requests.Of("list"), requests.Of("watch"),
            requests.Failed, before.Count, ServiceAddresses.Changed(before, after), requests.ByVerbAndResource(), memory, used);
    }
}
