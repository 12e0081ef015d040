using System.Net;
using k8s;
using k8s.Models;
using LbOperator.Framework.Builder;
using LbOperator.Framework.Client;
using LbOperator.Framework.Entities;
using LbOperator.Framework.Health;
using LbOperator.Framework.Metrics;
using LbOperator.Framework.Queue;
using Microsoft.Extensions.Logging;

namespace LbOperator.Framework.Watcher;

/// <summary>The watch loop of one kind, run once per leader term by the runtime.</summary>
internal interface IResourceWatcher
{
    Type EntityType { get; }

    string KindName { get; }

    /// <summary>Lists, then watches until cancelled; calls <paramref name="onInitialSync"/> after the first LIST.</summary>
    Task RunAsync(Action onInitialSync, CancellationToken cancellationToken);
}

/// <summary>
/// One list-then-watch loop for <typeparamref name="TEntity"/>: LIST (all pages) into the cache, then WATCH from
/// the list's resourceVersion with bookmarks, advancing the version with every event. 410 Gone relists at once;
/// any other error or a broken stream marks the watch down (readiness false) and reconnects after a capped
/// exponential backoff with jitter, with a relist that also finds objects deleted meanwhile. A stream the server
/// closes normally resumes from the last version. The loop ends only when cancelled.
/// </summary>
internal sealed class ResourceWatcher<TEntity>(
    IKubernetesClient client,
    EntityCache<TEntity> cache,
    IEnumerable<IWatchEventHandler<TEntity>> handlers,
    IEntityLabelSelector<TEntity> selector,
    OperatorModel model,
    OperatorSettings settings,
    OperatorHealth health,
    OperatorMetrics metrics,
    ILogger<ResourceWatcher<TEntity>> logger,
    TimeProvider timeProvider) : IResourceWatcher
    where TEntity : IKubernetesObject<V1ObjectMeta>
{
    private readonly IWatchEventHandler<TEntity>[] _handlers = [.. handlers];
    private readonly ExponentialBackoff _backoff = new(settings.WatchBackoffBase, settings.WatchBackoffMax);
    private static readonly TimeSpan QuickClose = TimeSpan.FromSeconds(1);
    private readonly bool _optional = model.IsOptional(typeof(TEntity));
    private bool _watchDeliveredEvents;
    private string? _labelSelector;

    public Type EntityType => typeof(TEntity);

    public string KindName { get; } = EntityMetadata.For<TEntity>().GroupWithVersion + "/" + EntityMetadata.For<TEntity>().Kind;

    public async Task RunAsync(Action onInitialSync, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onInitialSync);
        cache.Reset();
        _labelSelector = await selector.GetLabelSelectorAsync(cancellationToken);
        string? resourceVersion = null;
        var failures = 0;
        var expiredInARow = 0;
        var emptyClosesInARow = 0;
        var synced = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null)
                {
                    resourceVersion = await RelistAsync(cancellationToken);
                    health.WatchSynced(KindName);
                    if (!synced)
                    {
                        synced = true;
                        cache.MarkSynced();
                        onInitialSync();
                    }
                }

                _watchDeliveredEvents = false;
                var started = timeProvider.GetTimestamp();
                resourceVersion = await WatchFromAsync(resourceVersion, cancellationToken);
                failures = 0;
                expiredInARow = 0;

                // A stream the server closes at once without any event (a proxy cutting watches, an overloaded
                // server) is resumed after a growing delay rather than in a tight loop.
                emptyClosesInARow = !_watchDeliveredEvents && timeProvider.GetElapsedTime(started) < QuickClose ? emptyClosesInARow + 1 : 0;
                if (emptyClosesInARow > 0 && !await DelayAsync(_backoff.DelayFor(emptyClosesInARow, Random.Shared.NextDouble()), cancellationToken))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (_optional && e.Is(HttpStatusCode.NotFound))
            {
                // Not served (yet): nothing of the kind exists, which is a state, not a failure.
                synced = NotServed(synced, onInitialSync);
                resourceVersion = null;
                if (!await DelayAsync(settings.WatchBackoffMax, cancellationToken))
                {
                    return;
                }
            }
            catch (Exception e) when (e.Is(HttpStatusCode.Gone))
            {
                // The first 410 relists at once; a server that keeps answering 410 right after a relist is backed off.
                expiredInARow = _watchDeliveredEvents ? 1 : expiredInARow + 1;
                logger.LogInformation("""Watch of {Kind} from version {ResourceVersion} expired (410 Gone); listing again.""", KindName, resourceVersion);
                metrics.WatchRestarted(KindName);
                resourceVersion = null;
                if (expiredInARow > 1 && !await DelayAsync(_backoff.DelayFor(expiredInARow - 1, Random.Shared.NextDouble()), cancellationToken))
                {
                    return;
                }
            }
#pragma warning disable CA1031 // The loop must survive every failure: it reports it and reconnects.
            catch (Exception e)
#pragma warning restore CA1031
            {
                failures++;
                var delay = _backoff.DelayFor(failures, Random.Shared.NextDouble());
                health.WatchDown(KindName, e.Message);
                metrics.WatchRestarted(KindName);
                logger.LogWarning(e, """Watch of {Kind} failed ({Failures} in a row); reconnecting in {Delay}.""", KindName, failures, delay);
                resourceVersion = null;
                if (!await DelayAsync(delay, cancellationToken))
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// The optional kind is not served: the cache is emptied (the objects of a CRD deleted meanwhile are gone) and
    /// counts as synced. Returns the new value of "synced".
    /// </summary>
    private bool NotServed(bool synced, Action onInitialSync)
    {
        cache.MarkServed(false);
        foreach (var goneKey in cache.KeysMissingFrom(new HashSet<EntityKey>()))
        {
            if (cache.Remove(goneKey) is { } gone)
            {
                Dispatch(WatchEventType.Deleted, gone, gone);
            }
        }

        health.WatchSynced(KindName);
        if (!synced)
        {
            logger.LogInformation("""{Kind} is not served by the API server; its objects count as none until it is.""", KindName);
            cache.MarkSynced();
            onInitialSync();
        }

        return true;
    }

    /// <summary>Waits; false when cancelled meanwhile.</summary>
    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, timeProvider, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<string> RelistAsync(CancellationToken cancellationToken)
    {
        // Page by page, each object dropped once stored: the cache keeps the trimmed JSON, and the deserialised pages of
        // a big collection die young instead of being held (and promoted by the GC) until the last page arrives.
        var present = new HashSet<EntityKey>();
        var listMeta = new V1ListMeta();
        await foreach (var page in client.ListPagesAsync<TEntity>(settings.Namespace, _labelSelector, cancellationToken: cancellationToken))
        {
            for (var i = 0; i < page.Items.Count; i++)
            {
                var entity = page.Items[i];
                page.Items[i] = default!;
                present.Add(EntityKey.Of(entity));
                Apply(WatchEventType.Added, entity, fromList: true);
            }

            listMeta = page.Metadata;
        }

        foreach (var goneKey in cache.KeysMissingFrom(present))
        {
            if (cache.Remove(goneKey) is { } gone)
            {
                Dispatch(WatchEventType.Deleted, gone, gone);
            }
        }

        cache.MarkServed(true);
        logger.LogDebug("""Listed {Count} {Kind} at version {ResourceVersion}.""", present.Count, KindName, listMeta.ResourceVersion);
        return listMeta.ResourceVersion
            ?? throw new InvalidOperationException($"The LIST of {KindName} returned no resourceVersion to watch from.");
    }

    private async Task<string> WatchFromAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        var timeoutSeconds = (int)Math.Max(1, settings.WatchTimeout.TotalSeconds);
        await foreach (var (type, entity) in client.WatchAsync<TEntity>(
            settings.Namespace, resourceVersion, _labelSelector, allowWatchBookmarks: true, timeoutSeconds: timeoutSeconds, cancellationToken: cancellationToken))
        {
            health.WatchUp(KindName);
            _watchDeliveredEvents = true;
            resourceVersion = entity.ResourceVersion() ?? resourceVersion;
            if (type != WatchEventType.Bookmark)
            {
                Apply(type, entity);
            }
        }

        return resourceVersion;
    }

    private void Apply(WatchEventType type, TEntity entity, bool fromList = false)
    {
        entity.WithTypeMeta();
        if (type == WatchEventType.Deleted)
        {
            var removed = cache.Remove(EntityKey.Of(entity));
            Dispatch(WatchEventType.Deleted, entity, removed);
            return;
        }

        var previous = cache.Upsert(entity, fromList);
        if (previous is not null && previous.ResourceVersion() == entity.ResourceVersion())
        {
            return;
        }

        Dispatch(previous is null ? WatchEventType.Added : WatchEventType.Modified, entity, previous);
    }

    private void Dispatch(WatchEventType type, TEntity entity, TEntity? previous)
    {
        foreach (var handler in _handlers)
        {
            try
            {
                handler.OnEvent(type, entity, previous);
            }
#pragma warning disable CA1031 // One faulty handler must not stop the others or the watch.
            catch (Exception e)
#pragma warning restore CA1031
            {
                logger.LogError(e, """A handler of {Kind} events failed for {Key}.""", KindName, EntityKey.Of(entity));
            }
        }
    }
}
