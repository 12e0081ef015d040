using k8s;
using k8s.Models;

namespace LbOperator.Framework.Watcher;

/// <summary>
/// Changes what the cache of <typeparamref name="TEntity"/> keeps of each object (client-go's informer transform,
/// controller-runtime's cache transform): it may drop fields the controllers never read, or put a digest in their
/// place, so the cache stays small on big clusters. It is handed the object about to be stored (from a watch event, a
/// LIST or the answer to one of the operator's own writes) and changes it in place; with it comes the version the
/// cache keeps now (already trimmed; null if none), so a value derived from an unchanged part can be carried over
/// instead of computed again. Register it as a singleton before the operator starts; several run in the order they
/// were registered. <c>managedFields</c> are always dropped.
/// </summary>
/// <remarks>
/// Every read of the cache then returns the trimmed form: a controller that writes a cached object back must not
/// write the trimmed fields with it (replace them, or read the object first).
/// </remarks>
public sealed record EntityCacheTransform<TEntity>(string Name, Action<TEntity, TEntity?> Apply)
    where TEntity : IKubernetesObject<V1ObjectMeta>;
