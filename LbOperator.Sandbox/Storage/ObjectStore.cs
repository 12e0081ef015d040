using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace LbOperator.Sandbox.Storage;

/// <summary>
/// The sandbox's etcd: every object of every resource, one global monotonically increasing resourceVersion, and a
/// bounded history of changes for watches and consistent list snapshots. All access goes through
/// <see cref="Read{T}"/> or <see cref="Write{T}"/>, which hold one lock, so a read-check-write sequence is atomic.
/// Stored <see cref="JsonObject"/>s are never mutated after they enter the store; callers clone before changing.
/// </summary>
public sealed class ObjectStore(int historyLimit)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SortedDictionary<string, JsonObject>> _objects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string StorageKey, string Key)> _byUid = new(StringComparer.Ordinal);

    /// <summary>The objects of each storage key by namespace, so a namespaced list does not walk every namespace.</summary>
    private readonly Dictionary<(string StorageKey, string Namespace), SortedDictionary<string, JsonObject>> _byNamespace = [];
    private readonly Dictionary<string, StoreIndex> _indexes = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Index, string Value), HashSet<(string StorageKey, string Key)>> _indexed = [];
    private readonly LinkedList<StoreEvent> _history = new();
    private readonly List<StoreSubscription> _subscriptions = [];
    private readonly List<Action<StoreEvent>> _commitHooks = [];
    private long _resourceVersion = 1;
    private long _compactedRevision;

    /// <summary>The resourceVersion of the latest committed change.</summary>
    public long CurrentResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _resourceVersion;
            }
        }
    }

    /// <summary>Changes at or below this revision have left the history: a watch or list from there gets 410.</summary>
    public long CompactedRevision
    {
        get
        {
            lock (_gate)
            {
                return _compactedRevision;
            }
        }
    }

    public T Read<T>(Func<IStoreReader, T> read)
    {
        lock (_gate)
        {
            return read(new Transaction(this, readOnly: true));
        }
    }

    public T Write<T>(Func<IStoreTransaction, T> write)
    {
        lock (_gate)
        {
            return write(new Transaction(this, readOnly: false));
        }
    }

    /// <summary>
    /// Subscribes to changes of one storage key (null: all keys) after <paramref name="afterRevision"/>. Returns
    /// null when that revision has been compacted away. The backlog from the history is queued first, then live
    /// changes follow in commit order.
    /// </summary>
    public StoreSubscription? Subscribe(string? storageKey, long afterRevision)
    {
        lock (_gate)
        {
            if (afterRevision < _compactedRevision)
            {
                return null;
            }

            var subscription = new StoreSubscription(this, storageKey);
            foreach (var e in _history)
            {
                if (e.ResourceVersion > afterRevision && subscription.Accepts(e))
                {
                    subscription.Offer(e);
                }
            }

            _subscriptions.Add(subscription);
            return subscription;
        }
    }

    /// <summary>
    /// The state of one storage key as it was at <paramref name="revision"/>, rebuilt by undoing later changes;
    /// null when the history no longer reaches back that far.
    /// </summary>
    public IReadOnlyList<JsonObject>? Snapshot(string storageKey, long revision)
    {
        lock (_gate)
        {
            if (revision < _compactedRevision)
            {
                return null;
            }

            var state = _objects.TryGetValue(storageKey, out var current)
                ? new SortedDictionary<string, JsonObject>(current, StringComparer.Ordinal)
                : new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            for (var node = _history.Last; node is not null && node.Value.ResourceVersion > revision; node = node.Previous)
            {
                var e = node.Value;
                if (e.StorageKey != storageKey)
                {
                    continue;
                }

                var key = Key(e.Namespace, e.Name);
                if (e.Type == StoreEventType.Added)
                {
                    state.Remove(key);
                }
                else
                {
                    state[key] = e.Previous!;
                }
            }

            return [.. state.Values];
        }
    }

    /// <summary>
    /// The current resourceVersion when <paramref name="subscription"/> has consumed every change so far (so a
    /// bookmark may carry it); null while changes are still queued for it.
    /// </summary>
    public long? ProgressIfDrained(StoreSubscription subscription)
    {
        lock (_gate)
        {
            return subscription.Events.Count == 0 ? _resourceVersion : null;
        }
    }

    /// <summary>
    /// Adds a secondary index (client-go's indexers): every object, stored now or later, is found under the values
    /// <see cref="StoreIndex.Values"/> gives for it, through <see cref="IStoreReader.ByIndex"/>.
    /// </summary>
    public void AddIndex(StoreIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        lock (_gate)
        {
            if (!_indexes.TryAdd(index.Name, index))
            {
                throw new InvalidOperationException($"index {index.Name} exists already");
            }

            foreach (var (storageKey, objects) in _objects)
            {
                foreach (var (key, obj) in objects)
                {
                    Index(index, storageKey, key, obj, add: true);
                }
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="hook"/> for every change inside the store's lock, before the writer returns: for
    /// bookkeeping that must be in place by the time the write is acknowledged (serving a new CRD's resource).
    /// </summary>
    public void AddCommitHook(Action<StoreEvent> hook)
    {
        lock (_gate)
        {
            _commitHooks.Add(hook);
        }
    }

    internal void Unsubscribe(StoreSubscription subscription)
    {
        lock (_gate)
        {
            _subscriptions.Remove(subscription);
        }
    }

    internal static string Key(string? ns, string name) => ns is null ? name : $"{ns}/{name}";

    /// <summary>Records (or forgets) one stored object in the namespace and secondary indexes.</summary>
    private void Track(string storageKey, string? ns, string key, JsonObject obj, bool add)
    {
        if (ns is not null)
        {
            if (add)
            {
                if (!_byNamespace.TryGetValue((storageKey, ns), out var inNamespace))
                {
                    inNamespace = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
                    _byNamespace[(storageKey, ns)] = inNamespace;
                }

                inNamespace[key] = obj;
            }
            else if (_byNamespace.TryGetValue((storageKey, ns), out var inNamespace) && inNamespace.Remove(key) && inNamespace.Count == 0)
            {
                _byNamespace.Remove((storageKey, ns));
            }
        }

        foreach (var index in _indexes.Values)
        {
            Index(index, storageKey, key, obj, add);
        }
    }

    private void Index(StoreIndex index, string storageKey, string key, JsonObject obj, bool add)
    {
        foreach (var value in index.Values(storageKey, obj))
        {
            if (add)
            {
                if (!_indexed.TryGetValue((index.Name, value), out var holders))
                {
                    holders = [];
                    _indexed[(index.Name, value)] = holders;
                }

                holders.Add((storageKey, key));
            }
            else if (_indexed.TryGetValue((index.Name, value), out var holders) && holders.Remove((storageKey, key)) && holders.Count == 0)
            {
                _indexed.Remove((index.Name, value));
            }
        }
    }

    private void Publish(StoreEvent e)
    {
        _history.AddLast(e);
        while (_history.Count > historyLimit)
        {
            _compactedRevision = _history.First!.Value.ResourceVersion;
            _history.RemoveFirst();
        }

        foreach (var hook in _commitHooks)
        {
            hook(e);
        }

        foreach (var subscription in _subscriptions)
        {
            if (subscription.Accepts(e))
            {
                subscription.Offer(e);
            }
        }
    }

    private sealed class Transaction(ObjectStore store, bool readOnly) : IStoreTransaction
    {
        public long CurrentResourceVersion => store._resourceVersion;

        public JsonObject? Find(string storageKey, string? ns, string name) =>
            store._objects.TryGetValue(storageKey, out var objects) && objects.TryGetValue(Key(ns, name), out var o) ? o : null;

        public IEnumerable<JsonObject> List(string storageKey, string? ns)
        {
            if (!store._objects.TryGetValue(storageKey, out var objects))
            {
                return [];
            }

            if (ns is null)
            {
                return [.. objects.Values];
            }

            return store._byNamespace.TryGetValue((storageKey, ns), out var inNamespace) ? [.. inNamespace.Values] : [];
        }

        public IEnumerable<(string StorageKey, JsonObject Object)> ByIndex(string index, string value)
        {
            if (!store._indexes.ContainsKey(index))
            {
                throw new InvalidOperationException($"no index {index}");
            }

            return store._indexed.TryGetValue((index, value), out var holders)
                ? [.. holders.Select(h => (h.StorageKey, store._objects[h.StorageKey][h.Key]))]
                : [];
        }

        public IEnumerable<string> StorageKeys => [.. store._objects.Keys];

        public (string StorageKey, JsonObject Object)? FindByUid(string uid) =>
            store._byUid.TryGetValue(uid, out var at) && Find(at.StorageKey, null, at.Key) is { } o ? (at.StorageKey, o) : null;

        public JsonObject Add(string storageKey, JsonObject obj)
        {
            var (ns, name) = Identity(obj);
            var stamped = Stamp(obj);
            if (!store._objects.TryGetValue(storageKey, out var objects))
            {
                objects = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
                store._objects[storageKey] = objects;
            }

            var key = Key(ns, name);
            if (!objects.TryAdd(key, stamped))
            {
                throw new InvalidOperationException($"{storageKey} {key} already exists");
            }

            if (Meta.Uid(stamped) is { } uid)
            {
                store._byUid[uid] = (storageKey, key);
            }

            store.Track(storageKey, ns, key, stamped, add: true);

            store.Publish(new StoreEvent(StoreEventType.Added, storageKey, ns, name, stamped, null, store._resourceVersion));
            return stamped;
        }

        public JsonObject Replace(string storageKey, JsonObject obj)
        {
            var (ns, name) = Identity(obj);
            var key = Key(ns, name);
            var old = Find(storageKey, ns, name) ?? throw new InvalidOperationException($"{storageKey} {key} does not exist");
            var stamped = Stamp(obj);
            store._objects[storageKey][key] = stamped;
            store.Track(storageKey, ns, key, old, add: false);
            store.Track(storageKey, ns, key, stamped, add: true);
            store.Publish(new StoreEvent(StoreEventType.Modified, storageKey, ns, name, stamped, old, store._resourceVersion));
            return stamped;
        }

        public JsonObject Remove(string storageKey, string? ns, string name)
        {
            var key = Key(ns, name);
            var old = Find(storageKey, ns, name) ?? throw new InvalidOperationException($"{storageKey} {key} does not exist");
            store._objects[storageKey].Remove(key);
            if (Meta.Uid(old) is { } uid)
            {
                store._byUid.Remove(uid);
            }

            store.Track(storageKey, ns, key, old, add: false);

            var stamped = Stamp((JsonObject)old.DeepClone());
            store.Publish(new StoreEvent(StoreEventType.Deleted, storageKey, ns, name, stamped, old, store._resourceVersion));
            return stamped;
        }

        private JsonObject Stamp(JsonObject obj)
        {
            if (readOnly)
            {
                throw new InvalidOperationException("write inside a read-only transaction");
            }

            store._resourceVersion++;
            Meta.Metadata(obj)["resourceVersion"] = store._resourceVersion.ToString(CultureInfo.InvariantCulture);
            return obj;
        }

        private static (string? Namespace, string Name) Identity(JsonObject obj) =>
            (Meta.Namespace(obj), Meta.Name(obj) ?? throw new InvalidOperationException("object without a name"));
    }
}

/// <summary>Read access inside the store's lock.</summary>
public interface IStoreReader
{
    long CurrentResourceVersion { get; }

    JsonObject? Find(string storageKey, string? ns, string name);

    /// <summary>Objects of one storage key, in one namespace or (null) everywhere, ordered by namespace/name.</summary>
    IEnumerable<JsonObject> List(string storageKey, string? ns);

    IEnumerable<string> StorageKeys { get; }

    (string StorageKey, JsonObject Object)? FindByUid(string uid);

    /// <summary>The objects stored under <paramref name="value"/> in the index named <paramref name="index"/>.</summary>
    IEnumerable<(string StorageKey, JsonObject Object)> ByIndex(string index, string value);
}

/// <summary>Write access inside the store's lock: each write takes the next resourceVersion and is published.</summary>
public interface IStoreTransaction : IStoreReader
{
    JsonObject Add(string storageKey, JsonObject obj);

    JsonObject Replace(string storageKey, JsonObject obj);

    JsonObject Remove(string storageKey, string? ns, string name);
}

/// <summary>A stream of committed changes; dispose to stop receiving.</summary>
public sealed class StoreSubscription : IDisposable
{
    private readonly ObjectStore _store;
    private readonly string? _storageKey;
    private readonly Channel<StoreEvent> _channel = Channel.CreateUnbounded<StoreEvent>();

    internal StoreSubscription(ObjectStore store, string? storageKey)
    {
        _store = store;
        _storageKey = storageKey;
    }

    public ChannelReader<StoreEvent> Events => _channel.Reader;

    internal bool Accepts(StoreEvent e) => _storageKey is null || _storageKey == e.StorageKey;

    internal void Offer(StoreEvent e) => _channel.Writer.TryWrite(e);

    public void Dispose()
    {
        _store.Unsubscribe(this);
        _channel.Writer.TryComplete();
    }
}
