using k8s;
using k8s.Models;

namespace LbOperator.Framework.Watcher;

/// <summary>
/// The latest listed or watched state of every object of a watched kind (an informer's store), so a controller can
/// look across objects without extra LIST calls. The objects are shared: read them, never modify them (read the
/// object fresh or copy it before a write). Filled again from a fresh LIST whenever this replica starts leading.
/// </summary>
public interface IEntityCache<TEntity>
    where TEntity : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>True once the first LIST of the current leader term has been applied.</summary>
    bool IsSynced { get; }

    /// <summary>Every object, in no particular order.</summary>
    IReadOnlyList<TEntity> List();

    /// <summary>The objects of one namespace.</summary>
    IReadOnlyList<TEntity> List(string @namespace);

    TEntity? Get(string name, string? @namespace = null);
}
