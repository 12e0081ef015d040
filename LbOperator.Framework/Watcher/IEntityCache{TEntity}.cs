using k8s;
using k8s.Models;

namespace LbOperator.Framework.Watcher;

/// <summary>
/// The latest listed or watched state of every object of a watched kind (an informer's store), so a controller reads
/// without calling the API server: reconciles make no GETs. Every read returns a fresh copy, which the caller may
/// change and write back. The operator's own writes are visible at once (see <see cref="EntityCache{TEntity}"/>).
/// Filled again from a fresh LIST whenever this replica starts leading.
/// </summary>
public interface IEntityCache<TEntity>
    where TEntity : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>True once the first LIST of the current leader term has been applied.</summary>
    bool IsSynced { get; }

    /// <summary>
    /// True once a LIST of the kind succeeded; false while the API server does not serve it (an optional watch of a
    /// CRD that is not installed), so an operator can tell whether another project runs beside it.
    /// </summary>
    bool IsServed { get; }

    /// <summary>Every object, in no particular order.</summary>
    IReadOnlyList<TEntity> List();

    /// <summary>The objects of one namespace.</summary>
    IReadOnlyList<TEntity> List(string @namespace);

    TEntity? Get(string name, string? @namespace = null);

    /// <summary>The objects whose <see cref="EntityIndex{TEntity}"/> named <paramref name="index"/> has <paramref name="value"/>.</summary>
    IReadOnlyList<TEntity> Find(string index, string value);
}
