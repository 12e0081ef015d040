using k8s.Autorest;

namespace LbOperator.Benchmarks.Scale;

/// <summary>
/// <c>LbOperator.Benchmarks scale</c>: how long the operator takes to serve N LoadBalancer Services against the
/// sandbox API server, against a floor of a bare client doing the minimal work itself, and what it asks of the API
/// server per Service; then the same for a restart. The sandbox and the operator run as processes of their own,
/// each phase on a fresh sandbox; every one of them is stopped when the run ends, however it ends.
/// </summary>
public static class ScaleBenchmark
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        ScaleOptions options;
        BenchPaths paths;
        try
        {
            options = ScaleOptions.Parse(args);
            paths = BenchPaths.Find();
            paths.Check();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"scale: {e.Message}{Environment.NewLine}{ScaleOptions.Usage}");
            return 2;
        }

        var load = File.Exists("/proc/loadavg") ? string.Join(' ', (await File.ReadAllTextAsync("/proc/loadavg")).Split(' ').Take(3)) : "unknown";
        var temp = Directory.CreateTempSubdirectory("lb-bench-scale-");
        var progress = Console.Error;
        await progress.WriteLineAsync($"==> logs and kubeconfigs in {temp.FullName}");
        var succeeded = false;
        using var guard = new ChildProcessGuard();
        var cancellationToken = guard.Stopping;
        try
        {
            var floor = options.RunsFloor
                ? await FloorPhase.RunAsync(guard, paths, options, Path.Combine(temp.FullName, "floor"), progress, cancellationToken)
                : null;
            var (served, restart) = options.RunsOperator
                ? await OperatorPhase.RunAsync(guard, paths, options, Path.Combine(temp.FullName, "operator"), progress, cancellationToken)
                : (null, null);
            var results = new ScaleResults(options.Services, options.Workers, options.Namespaces, load, floor, served, restart);
            ScaleReport.Write(Console.Out, results);
            if (options.JsonPath is { } json)
            {
                await ScaleReport.WriteJsonAsync(json, results, cancellationToken);
                await progress.WriteLineAsync($"==> figures written to {json}");
            }

            succeeded = true;
            return 0;
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            await progress.WriteLineAsync("scale: interrupted; every process it started is stopped");
            return 130;
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpOperationException or HttpRequestException or IOException)
        {
            await progress.WriteLineAsync($"scale: failed: {e.Message}");
            return 1;
        }
        finally
        {
            guard.KillAll();
            if (succeeded && !options.Keep)
            {
                temp.Delete(recursive: true);
            }
            else
            {
                await progress.WriteLineAsync($"==> kept {temp.FullName}");
            }
        }
    }
}
