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

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var change in _subscription.Events.ReadAllAsync(cancellationToken))
            {
                if (Interests is { } interests && !interests.Contains(change.StorageKey))
                {
                    continue;
                }

                try
                {
                    await HandleAsync(change, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
#pragma warning disable CA1031 // A controller survives a failed reconcile, as kube-controller-manager's do; the next change retries.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    Logger.LogWarning(e, "{Controller} failed to handle {Type} {Key} {Name}", GetType().Name, change.Type, change.StorageKey, change.Name);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
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
