using k8s;
using k8s.Models;

namespace LbOperator.Framework.Reconciliation.Finalizer;

/// <summary>
/// Attaches the finalizer <typeparamref name="TImplementation"/> was registered under to <paramref name="entity"/>
/// (KubeOps' attacher). Writes only when the name is missing, and returns the entity to continue with (the updated
/// one after a write). Inject it into a controller when finalizers must only guard some objects: turn
/// <c>AutoAttachFinalizers</c> off and attach where it applies. To detach, remove the name
/// (<c>entity.RemoveFinalizer(identifier)</c>) and update the object.
/// </summary>
public delegate Task<TEntity> EntityFinalizerAttacher<TImplementation, TEntity>(TEntity entity, CancellationToken cancellationToken = default)
    where TImplementation : IEntityFinalizer<TEntity>
    where TEntity : IKubernetesObject<V1ObjectMeta>;
