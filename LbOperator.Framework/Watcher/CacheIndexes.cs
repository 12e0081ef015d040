using k8s;
using k8s.Models;
using LbOperator.Framework.Entities;

namespace LbOperator.Framework.Watcher;

/// <summary>The keys of the watched objects by index value, kept by <see cref="EntityCache{TEntity}"/>.</summary>
internal sealed class CacheIndexes<TEntity>(IEnumerable<EntityIndex<TEntity>> indexes)
    where TEntity : IKubernetesObject<V1ObjectMeta>
{
    private readonly EntityIndex<TEntity>[] _indexes = [.. indexes];
    private readonly Dictionary<string, Dictionary<string, HashSet<EntityKey>>> _keys = [];
    private readonly Lock _gate = new();

    public Func<TEntity, string?> Named(string index) =>
        Array.Find(_indexes, i => i.Name == index)?.ValueOf
        ?? throw new ArgumentException($"No index '{index}' is registered for {typeof(TEntity).Name}.", nameof(index));

    /// <summary>The value of each index for <paramref name="entity"/>.</summary>
    public IReadOnlyDictionary<string, string?> ValuesOf(TEntity entity) => _indexes.ToDictionary(i => i.Name, i => i.ValueOf(entity));

    public IReadOnlyList<EntityKey> KeysOf(string index, string value)
    {
        lock (_gate)
        {
            return _keys.TryGetValue(index, out var byValue) && byValue.TryGetValue(value, out var keys) ? [.. keys] : [];
        }
    }

    /// <summary>Moves <paramref name="key"/> from the values of <paramref name="before"/> to those of <paramref name="after"/>.</summary>
    public void Update(EntityKey key, TEntity? before, TEntity? after)
    {
        if (_indexes.Length == 0)
        {
            return;
        }

        lock (_gate)
        {
            foreach (var index in _indexes)
            {
                var byValue = _keys.TryGetValue(index.Name, out var existing) ? existing : _keys[index.Name] = new(StringComparer.Ordinal);
                if (before is not null && index.ValueOf(before) is { } old && byValue.TryGetValue(old, out var oldKeys))
                {
                    oldKeys.Remove(key);
                    if (oldKeys.Count == 0)
                    {
                        byValue.Remove(old);
                    }
                }

                if (after is not null && index.ValueOf(after) is { } value)
                {
                    (byValue.TryGetValue(value, out var keys) ? keys : byValue[value] = []).Add(key);
                }
            }
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _keys.Clear();
        }
    }
}
