using k8s;
using k8s.Models;
using LbOperator.Framework.Entities;
using LbOperator.Framework.Reconciliation;
using LbOperator.Framework.Watcher;

namespace LbOperator.Framework.Runtime;

/// <summary>
/// <c>Owns&lt;TOwned&gt;()</c>: any change to (or disappearance of) a <typeparamref name="TOwned"/> queues the
/// <typeparamref name="TOwner"/> named by its controller owner reference (<c>controller: true</c>, kind and API group
/// of <typeparamref name="TOwner"/>). Status changes count too: an owner usually reports its children's state.
/// </summary>
internal sealed class OwnerRelation<TOwner, TOwned>(ControllerPipeline<TOwner> ownerPipeline, EntityCache<TOwner> ownerCache)
    : IWatchEventHandler<TOwned>
    where TOwner : IKubernetesObject<V1ObjectMeta>
    where TOwned : IKubernetesObject<V1ObjectMeta>
{
    private static readonly EntityMetadata Owner = EntityMetadata.For<TOwner>();

    public void OnEvent(WatchEventType type, TOwned entity, TOwned? previous)
    {
        foreach (var key in OwnerKeys(entity).Concat(previous is null ? [] : OwnerKeys(previous)).Distinct())
        {
            ownerPipeline.Enqueue(key, ReconciliationTriggerSource.ApiServer, TimeSpan.Zero);
        }
    }

    private IEnumerable<EntityKey> OwnerKeys(TOwned owned)
    {
        foreach (var reference in owned.Metadata.OwnerReferences ?? [])
        {
            if (reference.Controller != true || reference.Kind != Owner.Kind || !SameGroup(reference.ApiVersion))
            {
                continue;
            }

            // The uid finds the owner whatever its scope; an owner not seen yet is assumed to share the namespace.
            yield return ownerCache.KeyOfUid(reference.Uid)
                ?? new EntityKey(string.IsNullOrEmpty(owned.Metadata.NamespaceProperty) ? null : owned.Metadata.NamespaceProperty, reference.Name);
        }
    }

    private static bool SameGroup(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var group = slash < 0 ? string.Empty : apiVersion[..slash];
        return string.Equals(group, Owner.Group ?? string.Empty, StringComparison.Ordinal);
    }
}

/// <summary>
/// <c>Watches&lt;TRelated&gt;(map)</c>: a change to a <typeparamref name="TRelated"/> queues the
/// <typeparamref name="TEntity"/> objects the map names, for its state before and after the change.
/// </summary>
internal sealed class MappedRelation<TEntity, TRelated>(ControllerPipeline<TEntity> pipeline, Func<TRelated, IEnumerable<EntityKey>> map)
    : IWatchEventHandler<TRelated>
    where TEntity : IKubernetesObject<V1ObjectMeta>
    where TRelated : IKubernetesObject<V1ObjectMeta>
{
    public void OnEvent(WatchEventType type, TRelated entity, TRelated? previous)
    {
        var keys = map(entity).Concat(previous is null ? [] : map(previous)).Distinct();
        foreach (var key in keys)
        {
            pipeline.Enqueue(key, ReconciliationTriggerSource.ApiServer, TimeSpan.Zero);
        }
    }
}
