using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using LbOperator.Framework.Entities;

namespace LbOperator.Framework.Watcher;

/// <summary>
/// The store behind <see cref="IEntityCache{TEntity}"/>, filled by the kind's watcher and told of the operator's own
/// writes by the client.
/// </summary>
/// <remarks>
/// <para>
/// Objects are kept as the JSON of what the API server sent, without <c>managedFields</c>, trimmed by the kind's
/// <see cref="EntityCacheTransform{TEntity}"/>s and packed (<see cref="PackedJson"/>): a small part of the size of the
/// deserialised object graph, and every read hands out a fresh copy that the caller may change and write back.
/// </para>
/// <para>
/// Own writes: a reconcile that wrote an object must not be handed the older version the watch has not replaced yet
/// (it would redo its write and meet a conflict). So the object the API server answered a write with is served
/// until the watch delivers that very resourceVersion — the watch of a kind is ordered, so until then the cache holds
/// only older versions — or a LIST replaces it. Versions are only compared for equality, as the API conventions
/// require. A delete leaves a tombstone the same way, until the watch reports the object gone or created anew.
/// </para>
/// </remarks>
internal sealed class EntityCache<TEntity>(
    IEnumerable<EntityIndex<TEntity>> indexes, IEnumerable<EntityCacheTransform<TEntity>> transforms, TimeProvider time) : IEntityCache<TEntity>
    where TEntity : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>How long an own write is served without the watch confirming it (a watch that lost the event relists).</summary>
    private static readonly TimeSpan OwnWriteLifetime = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many earlier versions of an object are remembered (only while it changes within <see cref="OwnWriteLifetime"/>),
    /// to recognise the answer of a write that arrives after its watch event and the events of others that followed it.
    /// </summary>
    private const int RememberedVersions = 16;

    private readonly ConcurrentDictionary<EntityKey, Stored> _byKey = new();
    private readonly ConcurrentDictionary<string, EntityKey> _keyByUid = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<EntityKey, OwnWrite> _ownWrites = new();

    // The uids the watch reported deleted lately: an answer read after the deletion it led to must not revive the object.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _deletedUids = new(StringComparer.Ordinal);
    private readonly CacheIndexes<TEntity> _indexes = new(indexes);
    private readonly EntityCacheTransform<TEntity>[] _transforms = [.. transforms];

    // Deciding whether an own write is still ahead of the watch and recording it must not interleave with the watch.
    private readonly Lock _ownWriteGate = new();
    private volatile bool _synced;
    private volatile bool _served;

    public bool IsSynced => _synced;

    public bool IsServed => _served;

    /// <summary>What the watcher found: the kind is served (a LIST succeeded) or not (404).</summary>
    public void MarkServed(bool served) => _served = served;

    public IReadOnlyList<TEntity> List()
    {
        var result = new List<TEntity>(_byKey.Count);
        foreach (var (key, stored) in _byKey)
        {
            if (!HasOwnWrite(key))
            {
                result.Add(Read(stored.Json));
            }
        }

        // Current own writes stand in for what the watch shows (a tombstone for nothing); expired ones were listed above.
        foreach (var (_, write) in _ownWrites)
        {
            if (IsCurrent(write) && write.Json is { } json)
            {
                result.Add(Read(json));
            }
        }

        return result;
    }

    public IReadOnlyList<TEntity> List(string @namespace) => [.. List().Where(e => e.Namespace() == @namespace)];

    public TEntity? Get(string name, string? @namespace = null) => Get(new EntityKey(string.IsNullOrEmpty(@namespace) ? null : @namespace, name));

    public IReadOnlyList<TEntity> Find(string index, string value)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(value);
        var indexer = _indexes.Named(index);
        var keys = _indexes.KeysOf(index, value).ToHashSet();
        foreach (var (key, write) in _ownWrites)
        {
            if (write.IndexValues.TryGetValue(index, out var written) && written == value)
            {
                keys.Add(key);
            }
        }

        var found = new List<TEntity>(keys.Count);
        foreach (var key in keys)
        {
            if (Get(key) is { } entity && indexer(entity) == value)
            {
                found.Add(entity);
            }
        }

        return found;
    }

    /// <summary>The keys of every object (no copies made): what a resync queues.</summary>
    public IReadOnlyList<EntityKey> Keys() => [.. _byKey.Keys.Union(_ownWrites.Where(w => w.Value.Json is not null).Select(w => w.Key))];

    /// <summary>The key of the watched object with this uid (how owner references are resolved).</summary>
    public EntityKey? KeyOfUid(string uid) => _keyByUid.TryGetValue(uid, out var key) ? key : null;

    /// <summary>
    /// Stores what the watch or a LIST delivered; returns what it replaced. A LIST is at least as new as every write
    /// answered before it began, so it ends the own writes of the objects it shows.
    /// </summary>
    public TEntity? Upsert(TEntity entity, bool fromList = false)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var key = EntityKey.Of(entity);
        Trim(entity, key);
        var json = Write(entity);
        Stored? previous = null;
        var version = entity.ResourceVersion();
        var now = time.GetUtcNow();
        lock (_ownWriteGate)
        {
            _byKey.AddOrUpdate(
                key,
                _ => new Stored(json, entity.Uid(), version, [], now),
                (_, old) =>
                {
                    previous = old;
                    string?[] earlier = now - old.StoredAt < OwnWriteLifetime
                        ? [old.ResourceVersion, .. old.EarlierVersions.Take(RememberedVersions - 1)]
                        : [old.ResourceVersion];
                    return new Stored(json, entity.Uid(), version, earlier, now);
                });
            if (_ownWrites.TryGetValue(key, out var write)
                && (fromList || write.ResourceVersion == version || (write.Json is null && write.Uid != entity.Uid())))
            {
                _ownWrites.TryRemove(new KeyValuePair<EntityKey, OwnWrite>(key, write));
            }
        }

        var replaced = previous is null ? default : Read(previous.Json);
        _indexes.Update(key, replaced, entity);
        if (previous?.Uid is { } oldUid && oldUid != entity.Uid())
        {
            _keyByUid.TryRemove(oldUid, out _);
        }

        if (entity.Uid() is { } uid)
        {
            _keyByUid[uid] = key;
        }

        return replaced;
    }

    /// <summary>Removes what the watch reported deleted; returns what was stored.</summary>
    public TEntity? Remove(EntityKey key)
    {
        Stored? removed;
        lock (_ownWriteGate)
        {
            if (!_byKey.TryRemove(key, out removed))
            {
                return default;
            }

            if (removed.Uid is { } goneUid)
            {
                ForgetOldDeletions();
                _deletedUids[goneUid] = time.GetUtcNow();
            }

            // An own write of this object (or its tombstone) ends with it; a write of a new object of the same name stays.
            if (_ownWrites.TryGetValue(key, out var write) && (write.Uid is null || write.Uid == removed.Uid))
            {
                _ownWrites.TryRemove(new KeyValuePair<EntityKey, OwnWrite>(key, write));
            }
        }

        var entity = Read(removed.Json);
        _indexes.Update(key, entity, default);
        if (removed.Uid is { } uid)
        {
            _keyByUid.TryRemove(uid, out _);
        }

        return entity;
    }

    /// <summary>The API server answered a write of this operator with <paramref name="written"/>.</summary>
    public void Wrote(TEntity written)
    {
        ArgumentNullException.ThrowIfNull(written);
        var key = EntityKey.Of(written);
        var version = written.ResourceVersion();
        // An object whose last finalizer this write removed is deleted by the server at once: nothing to keep.
        if (version is null
            || (written.Metadata.DeletionTimestamp is not null && written.Metadata.Finalizers is not { Count: > 0 })
            || (written.Uid() is { } uid && _deletedUids.ContainsKey(uid)))
        {
            return;
        }

        var (copy, indexValues) = KeptCopyOf(written);
        lock (_ownWriteGate)
        {
            // The watch may have delivered this version (and newer ones) before the answer was read.
            if (_byKey.TryGetValue(key, out var stored) && (stored.ResourceVersion == version || stored.EarlierVersions.Contains(version)))
            {
                return;
            }

            _ownWrites[key] = new OwnWrite(copy, written.Uid(), version, time.GetUtcNow(), indexValues);
        }
    }

    /// <summary>This operator deleted the object <paramref name="key"/> (of uid <paramref name="uid"/> if known).</summary>
    public void Deleted(EntityKey key, string? uid)
    {
        lock (_ownWriteGate)
        {
            // Only while the cache still shows the object (watched, or written by us): once the watch reported the
            // deletion there is nothing to hide.
            var shownUid = _ownWrites.TryGetValue(key, out var write) && write.Json is not null ? write.Uid
                : _byKey.TryGetValue(key, out var stored) ? stored.Uid
                : null;
            if (shownUid is not null && (uid is null || shownUid == uid))
            {
                _ownWrites[key] = new OwnWrite(null, shownUid, null, time.GetUtcNow(), new Dictionary<string, string?>());
            }
        }
    }

    /// <summary>Keys of objects not in <paramref name="present"/> (gone while no watch was running).</summary>
    public IReadOnlyList<EntityKey> KeysMissingFrom(IReadOnlySet<EntityKey> present) =>
        [.. _byKey.Keys.Where(key => !present.Contains(key))];

    public void MarkSynced() => _synced = true;

    public void Reset()
    {
        _synced = false;
        _byKey.Clear();
        _keyByUid.Clear();
        _ownWrites.Clear();
        _deletedUids.Clear();
        _indexes.Clear();
    }

    private TEntity? Get(EntityKey key)
    {
        if (_ownWrites.TryGetValue(key, out var write))
        {
            if (IsCurrent(write))
            {
                return write.Json is null ? default : Read(write.Json);
            }

            _ownWrites.TryRemove(new KeyValuePair<EntityKey, OwnWrite>(key, write));
        }

        return _byKey.TryGetValue(key, out var stored) ? Read(stored.Json) : default;
    }

    private void ForgetOldDeletions()
    {
        if (_deletedUids.Count < 1024)
        {
            return;
        }

        var now = time.GetUtcNow();
        foreach (var (uid, at) in _deletedUids)
        {
            if (now - at >= OwnWriteLifetime)
            {
                _deletedUids.TryRemove(uid, out _);
            }
        }
    }

    private bool HasOwnWrite(EntityKey key) => _ownWrites.TryGetValue(key, out var write) && IsCurrent(write);

    private bool IsCurrent(OwnWrite write) => time.GetUtcNow() - write.WrittenAt < OwnWriteLifetime;

    /// <summary>What the cache keeps of an answer to an own write, which goes back to the writer unchanged.</summary>
    private (byte[] Json, IReadOnlyDictionary<string, string?> IndexValues) KeptCopyOf(TEntity written)
    {
        if (_transforms.Length == 0)
        {
            var managedFields = written.Metadata.ManagedFields;
            written.Metadata.ManagedFields = null;
            var json = Write(written);
            written.Metadata.ManagedFields = managedFields;
            return (json, _indexes.ValuesOf(written));
        }

        var kept = Read(Write(written));
        Trim(kept, EntityKey.Of(kept));
        return (Write(kept), _indexes.ValuesOf(kept));
    }

    /// <summary>What the cache keeps of an object: no <c>managedFields</c>, then whatever the transforms take away.</summary>
    private void Trim(TEntity entity, EntityKey key)
    {
        entity.Metadata.ManagedFields = null;
        if (_transforms.Length == 0)
        {
            return;
        }

        var kept = Get(key);
        foreach (var transform in _transforms)
        {
            transform.Apply(entity, kept);
        }
    }

    private static byte[] Write(TEntity entity) => PackedJson.Pack(KubernetesJson.Serialize(entity));

    private static TEntity Read(byte[] packed) => PackedJson.Unpack(packed, stream => KubernetesJson.Deserialize<TEntity>(stream)).WithTypeMeta();

    /// <summary>One watched object: its JSON and what identifies its version.</summary>
    private sealed record Stored(byte[] Json, string? Uid, string? ResourceVersion, string?[] EarlierVersions, DateTimeOffset StoredAt);

    /// <summary>An object as this operator last wrote it (null JSON: deleted), until the watch confirms it.</summary>
    private sealed record OwnWrite(byte[]? Json, string? Uid, string? ResourceVersion, DateTimeOffset WrittenAt, IReadOnlyDictionary<string, string?> IndexValues);
}
