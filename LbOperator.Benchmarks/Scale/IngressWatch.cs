using System.Collections.Concurrent;
using System.Diagnostics;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace LbOperator.Benchmarks.Scale;

/// <summary>
/// Watches the benchmark's Services (list, then watch from the list's resourceVersion; again after a dropped watch)
/// and notes the moment the last of them shows an address in <c>status.loadBalancer.ingress</c>.
/// </summary>
public sealed class IngressWatch : IAsyncDisposable
{
    private readonly Kubernetes _client;
    private readonly int _expected;
    private readonly ConcurrentDictionary<string, string> _ingress = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<long> _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _listed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private long _lastEvent = Stopwatch.GetTimestamp();
    private Task _running = Task.CompletedTask;

    private IngressWatch(Kubernetes client, int expected)
    {
        _client = client;
        _expected = expected;
    }

    /// <summary>Services seen with an ingress address so far.</summary>
    public int Count => _ingress.Count;

    /// <summary>Starts watching; returns once the first list is done, so nothing created afterwards can be missed.</summary>
    public static async Task<IngressWatch> StartAsync(Kubernetes client, int expected, CancellationToken cancellationToken)
    {
        var watch = new IngressWatch(client, expected);
        watch._running = Task.Run(() => watch.RunAsync(watch._stop.Token), CancellationToken.None);
        await Task.WhenAny(watch._listed.Task, watch._running).WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        if (watch._running.IsFaulted)
        {
            await watch._running;
        }

        return watch;
    }

    /// <summary>
    /// Waits until every Service has an ingress; returns the seconds from <paramref name="since"/> to the event that
    /// showed the last one. Gives up when no Service event arrived for <paramref name="stall"/>.
    /// </summary>
    public async Task<double> WaitAllAsync(long since, TimeSpan stall, CancellationToken cancellationToken)
    {
        while (!_complete.Task.IsCompleted)
        {
            await Task.WhenAny(_complete.Task, Task.Delay(250, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
            if (_running.IsFaulted)
            {
                await _running;
            }

            if (!_complete.Task.IsCompleted && Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastEvent)) > stall)
            {
                throw new TimeoutException($"{Count} of {_expected} Services have an ingress address, and no Service changed for {stall.TotalSeconds:0} s");
            }
        }

        return Stopwatch.GetElapsedTime(since, await _complete.Task).TotalSeconds;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var list = await _client.CoreV1.ListServiceForAllNamespacesAsync(labelSelector: BenchCluster.ServiceSelector, cancellationToken: cancellationToken);
                foreach (var service in list.Items)
                {
                    Observe(service);
                }

                _listed.TrySetResult();
                await foreach (var (type, service) in _client.CoreV1.WatchListServiceForAllNamespacesAsync(
                    labelSelector: BenchCluster.ServiceSelector, resourceVersion: list.Metadata.ResourceVersion, timeoutSeconds: 1800,
                    cancellationToken: cancellationToken))
                {
                    if (type is WatchEventType.Added or WatchEventType.Modified)
                    {
                        Observe(service);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException or IOException or KubernetesException)
            {
                // A dropped or expired watch: list again.
                await Task.Delay(200, cancellationToken);
            }
        }
    }

    private void Observe(V1Service service)
    {
        Interlocked.Exchange(ref _lastEvent, Stopwatch.GetTimestamp());
        if (service.Status?.LoadBalancer?.Ingress?.FirstOrDefault(i => !string.IsNullOrEmpty(i.Ip)) is { } ingress)
        {
            _ingress[$"{service.Metadata.NamespaceProperty}/{service.Metadata.Name}"] = ingress.Ip;
            if (_ingress.Count >= _expected)
            {
                _complete.TrySetResult(Stopwatch.GetTimestamp());
            }
        }
    }
}
