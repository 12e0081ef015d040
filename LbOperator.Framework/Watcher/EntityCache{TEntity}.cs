using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using LbOperator.Framework.Entities;

namespace LbOperator.Framework.Watcher;

/// <summary>The store behind <see cref="IEntityCache{TEntity}"/>, written only by the kind's watcher.</summary>
internal sealed class EntityCache<TEntity> : IEntityCache<TEntity>
    where TEntity : IKubernetesObject<V1ObjectMeta>
{
    private readonly ConcurrentDictionary<EntityKey, TEntity> _byKey = new();
    private readonly ConcurrentDictionary<string, EntityKey> _keyByUid = new(StringComparer.Ordinal);
    private volatile bool _synced;

    public bool IsSynced => _synced;

    public IReadOnlyList<TEntity> List() => [.. _byKey.Values];

    public IReadOnlyList<TEntity> List(string @namespace) =>
        [.. _byKey.Where(pair => pair.Key.Namespace == @namespace).Select(pair => pair.Value)];

    public TEntity? Get(string name, string? @namespace = null) =>
        _byKey.TryGetValue(new EntityKey(string.IsNullOrEmpty(@namespace) ? null : @namespace, name), out var entity) ? entity : default;

    /// <summary>The key of the cached object with this uid (how owner references are resolved).</summary>
    public EntityKey? KeyOfUid(string uid) => _keyByUid.TryGetValue(uid, out var key) ? key : null;

    /// <summary>Stores <paramref name="entity"/>; returns what it replaced.</summary>
    public TEntity? Upsert(TEntity entity)
    {
        var key = EntityKey.Of(entity);
        TEntity? previous = default;
        _byKey.AddOrUpdate(key, entity, (_, old) =>
        {
            previous = old;
            return entity;
        });
        if (previous?.Uid() is { } oldUid && oldUid != entity.Uid())
        {
            _keyByUid.TryRemove(oldUid, out _);
        }

        if (entity.Uid() is { } uid)
        {
            _keyByUid[uid] = key;
        }

        return previous;
    }

    /// <summary>Removes the object; returns what was stored.</summary>
    public TEntity? Remove(EntityKey key)
    {
        if (!_byKey.TryRemove(key, out var removed))
        {
            return default;
        }

        if (removed.Uid() is { } uid)
        {
            _keyByUid.TryRemove(uid, out _);
        }

        return removed;
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
    }
}
