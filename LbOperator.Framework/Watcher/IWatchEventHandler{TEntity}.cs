using k8s;
using k8s.Models;

namespace LbOperator.Framework.Watcher;

/// <summary>Hears the changes a kind's watcher applies to its cache (a controller pipeline, an owner relation).</summary>
internal interface IWatchEventHandler<in TEntity>
    where TEntity : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>
    /// <paramref name="previous"/> is the cached state before the change (null for a new object). Called for
    /// ADDED, MODIFIED and DELETED only, including those a relist found.
    /// </summary>
    void OnEvent(WatchEventType type, TEntity entity, TEntity? previous);
}
