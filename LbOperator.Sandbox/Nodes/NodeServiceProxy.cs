using System.Threading.Channels;
using k8s;
using Microsoft.Extensions.Logging;

namespace LbOperator.Sandbox.Nodes;

/// <summary>
/// kube-proxy for the simulated node: a client of the sandbox's API that watches Services and Endpoints and
/// rebuilds the node's ClusterIP rules from a fresh list after every change (and every few seconds, so a missed
/// event heals itself).
/// </summary>
public sealed class NodeServiceProxy(SimulatedNode node, ILogger logger)
{
    private static readonly TimeSpan Resync = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        var changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        var watches = Task.WhenAll(
            WatchAsync(() => client.CoreV1.WatchListServiceForAllNamespacesAsync(cancellationToken: cancellationToken), changes.Writer, cancellationToken),
            WatchAsync(() => client.CoreV1.WatchListEndpointsForAllNamespacesAsync(cancellationToken: cancellationToken), changes.Writer, cancellationToken));
        changes.Writer.TryWrite(true);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                wait.CancelAfter(Resync);
                try
                {
                    await changes.Reader.ReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // Periodic resync.
                }
                await SyncAsync(client, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The sandbox is stopping.
        }
        await watches;
    }

    private async Task SyncAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        try
        {
            var services = await client.CoreV1.ListServiceForAllNamespacesAsync(cancellationToken: cancellationToken);
            var endpoints = await client.CoreV1.ListEndpointsForAllNamespacesAsync(cancellationToken: cancellationToken);
            await node.SyncServicesAsync(services.Items, endpoints.Items, cancellationToken);
        }
        catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException or CommandFailedException or ArgumentException)
        {
            logger.ProxySyncFailed(e.Message);
        }
    }

    private static async Task WatchAsync<T>(
        Func<IAsyncEnumerable<(WatchEventType, T)>> watch, ChannelWriter<bool> changes, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var _ in watch().WithCancellation(cancellationToken))
                {
                    changes.TryWrite(true);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or k8s.Autorest.HttpOperationException)
            {
                // The watch broke; the next one starts from a fresh list.
            }
            changes.TryWrite(true);
            try
            {
                await Task.Delay(RetryDelay, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
