using LbOperator.Sandbox.Api;
using LbOperator.Sandbox.Storage;
using Microsoft.Extensions.Logging;

namespace LbOperator.Sandbox.Controllers;

/// <summary>
/// A built-in controller: receives every committed change of the storage keys it cares about, in commit order,
/// and reacts through <see cref="ResourceService"/> (so admission and resourceVersions apply to it as to clients).
/// Subscribed at construction, so no change after that is missed.
/// </summary>
public abstract class Controller : IDisposable
{
    private readonly StoreSubscription _subscription;

    protected Controller(ResourceService api, ILogger logger)
    {
        Api = api;
        Logger = logger;
        _subscription = api.Store.Subscribe(null, api.Store.CurrentResourceVersion)!;
    }

    protected ResourceService Api { get; }

    protected ILogger Logger { get; }

    /// <summary>The storage keys (<c>/pods</c>, <c>apps/deployments</c>) whose changes this controller reacts to; null for all.</summary>
    protected abstract IReadOnlySet<string>? Interests { get; }

    protected abstract Task HandleAsync(StoreEvent change, CancellationToken cancellationToken);

    /// <summary>How often <see cref="TickAsync"/> runs besides the changes (heartbeats, timeouts), first at start; null for never.</summary>
    protected virtual TimeSpan? Period => null;

    /// <summary>Periodic work, run between changes, never at the same time as <see cref="HandleAsync"/>.</summary>
    protected virtual Task TickAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            var events = _subscription.Events;
            // The first tick comes at once: a kubelet registers its Lease when it starts, not one period later.
            var nextTick = Api.Clock.GetUtcNow();
            Task<bool>? waiting = null;
            while (true)
            {
                waiting ??= events.WaitToReadAsync(cancellationToken).AsTask();
                if (Period is { } period)
                {
                    var remaining = nextTick - Api.Clock.GetUtcNow();
                    if (remaining > TimeSpan.Zero)
                    {
                        using var delay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                        var timer = Task.Delay(remaining, Api.Clock, delay.Token);
                        await Task.WhenAny(waiting, timer);
                        await delay.CancelAsync();
                    }

                    if (Api.Clock.GetUtcNow() >= nextTick)
                    {
                        nextTick = Api.Clock.GetUtcNow() + period;
                        await SurviveAsync(() => TickAsync(cancellationToken), "tick", "", "", cancellationToken);
                        continue;
                    }

                    if (!waiting.IsCompleted)
                    {
                        // The timer fired a hair before the tick was due: wait again rather than for the next change.
                        continue;
                    }
                }

                if (!await waiting)
                {
                    return;
                }

                waiting = null;
                while (events.TryRead(out var change))
                {
                    if (Interests is { } interests && !interests.Contains(change.StorageKey))
                    {
                        continue;
                    }

                    await SurviveAsync(() => HandleAsync(change, cancellationToken), change.Type.ToString(), change.StorageKey, change.Name, cancellationToken);
                    if (Period is not null && Api.Clock.GetUtcNow() >= nextTick)
                    {
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task SurviveAsync(Func<Task> work, string type, string key, string name, CancellationToken cancellationToken)
    {
        try
        {
            await work();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A controller survives a failed reconcile, as kube-controller-manager's do; the next change retries.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Logger.LogWarning(e, "{Controller} failed to handle {Type} {Key} {Name}", GetType().Name, type, key, name);
        }
    }

    public void Dispose()
    {
        _subscription.Dispose();
        GC.SuppressFinalize(this);
    }

    protected static string Key(ResourceDescriptor d) => ResourceRegistry.StorageKey(d);

    /// <summary>The descriptor to address objects of a storage key with (core events for the shared events key).</summary>
    protected ResourceDescriptor? DescriptorFor(string storageKey) =>
        Api.Registry.All.FirstOrDefault(d => ResourceRegistry.StorageKey(d) == storageKey && !(d.Group == "events.k8s.io"));

    protected string Now => Meta.Timestamp(Api.Clock.GetUtcNow());

    /// <summary>Deletes, treating "already gone" as done.</summary>
    protected void DeleteQuietly(ResourceDescriptor d, string? ns, string name, DeleteOptions? options = null)
    {
        try
        {
            Api.Delete(d, ns, name, options);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // Someone else got there first.
        }
    }
}
