using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using LbOperator.Sandbox.Storage;

namespace LbOperator.Sandbox.Api;

/// <summary>Which objects a watch follows: namespace, label and field selectors.</summary>
public sealed record WatchFilter(string? Namespace, LabelSelector Labels, FieldSelector Fields)
{
    public bool Matches(JsonObject obj) =>
        (Namespace is null || Meta.Namespace(obj) == Namespace) && Labels.Matches(Meta.Labels(obj)) && Fields.Matches(obj);
}

/// <summary>
/// One open watch: the initial ADDED events (when asked for), then committed changes translated through the
/// filter — an object that starts matching arrives as ADDED, one that stops matching as DELETED — with optional
/// BOOKMARK events. Dispose to unsubscribe.
/// </summary>
public sealed class WatchSession : IDisposable
{
    private readonly ResourceService _service;
    private readonly ResourceDescriptor _descriptor;
    private readonly WatchFilter _filter;
    private readonly StoreSubscription? _subscription;
    private readonly IReadOnlyList<JsonObject> _initial;
    private long _progress;

    internal WatchSession(
        ResourceService service, ResourceDescriptor descriptor, WatchFilter filter, StoreSubscription? subscription,
        IReadOnlyList<JsonObject> initial, long startRevision, ApiException? error)
    {
        _service = service;
        _descriptor = descriptor;
        _filter = filter;
        _subscription = subscription;
        _initial = initial;
        _progress = startRevision;
        Error = error;
    }

    /// <summary>Set when the watch could not start (410 Expired): the stream carries it as one ERROR event.</summary>
    public ApiException? Error { get; }

    /// <summary>Yields <c>{"type": ..., "object": ...}</c> events until cancelled or the subscription ends.</summary>
    public async IAsyncEnumerable<JsonObject> ReadAsync(
        TimeSpan? bookmarkInterval, bool initialEventsEndBookmark, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (Error is not null)
        {
            yield return new JsonObject { ["type"] = "ERROR", ["object"] = Error.ToStatus() };
            yield break;
        }

        foreach (var obj in _initial)
        {
            yield return Event("ADDED", obj);
        }

        if (initialEventsEndBookmark && bookmarkInterval is not null)
        {
            var bookmark = Bookmark(_progress);
            Meta.Metadata((JsonObject)bookmark["object"]!)["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
            yield return bookmark;
        }

        var reader = _subscription!.Events;
        while (!cancellationToken.IsCancellationRequested)
        {
            while (reader.TryRead(out var e))
            {
                _progress = e.ResourceVersion;
                if (Translate(e) is { } translated)
                {
                    yield return translated;
                }
            }

            bool more;
            var bookmarkDue = false;
            if (bookmarkInterval is { } interval)
            {
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                tick.CancelAfter(interval);
                try
                {
                    more = await reader.WaitToReadAsync(tick.Token);
                }
                catch (OperationCanceledException)
                {
                    more = !cancellationToken.IsCancellationRequested;
                    bookmarkDue = more;
                }
            }
            else
            {
                try
                {
                    more = await reader.WaitToReadAsync(cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    more = false;
                }
            }

            if (bookmarkDue)
            {
                if (_service.Store.ProgressIfDrained(_subscription) is { } safe)
                {
                    _progress = Math.Max(_progress, safe);
                }

                yield return Bookmark(_progress);
                continue;
            }

            if (!more)
            {
                yield break;
            }
        }
    }

    private JsonObject? Translate(StoreEvent e)
    {
        var now = _filter.Matches(e.Latest);
        var before = e.Previous is not null && _filter.Matches(e.Previous);
        return e.Type switch
        {
            StoreEventType.Added => now ? Event("ADDED", e.Latest) : null,
            StoreEventType.Deleted => before || now ? Event("DELETED", e.Latest) : null,
            _ when now && before => Event("MODIFIED", e.Latest),
            _ when now => Event("ADDED", e.Latest),
            _ when before => Event("DELETED", e.Latest),
            _ => null,
        };
    }

    private JsonObject Event(string type, JsonObject obj) => new() { ["type"] = type, ["object"] = ResourceService.ToVersion(_descriptor, obj) };

    private JsonObject Bookmark(long revision) => new()
    {
        ["type"] = "BOOKMARK",
        ["object"] = new JsonObject
        {
            ["kind"] = _descriptor.Kind,
            ["apiVersion"] = _descriptor.GroupVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) },
        },
    };

    public void Dispose() => _subscription?.Dispose();
}
