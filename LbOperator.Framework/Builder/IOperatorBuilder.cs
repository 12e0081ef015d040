using k8s;
using k8s.Models;
using LbOperator.Framework.Entities;
using LbOperator.Framework.Reconciliation.Controller;
using LbOperator.Framework.Reconciliation.Finalizer;
using LbOperator.Framework.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace LbOperator.Framework.Builder;

/// <summary>Registers controllers, finalizers and watches (KubeOps' <c>IOperatorBuilder</c>, plus relations and startup tasks).</summary>
public interface IOperatorBuilder
{
    IServiceCollection Services { get; }

    OperatorSettings Settings { get; }

    /// <summary>Watches <typeparamref name="TEntity"/> and reconciles it with <typeparamref name="TImplementation"/> (scoped; several controllers per kind run in registration order).</summary>
    IControllerBuilder<TEntity> AddController<TImplementation, TEntity>()
        where TImplementation : class, IEntityController<TEntity>
        where TEntity : IKubernetesObject<V1ObjectMeta>;

    /// <summary>Registers a finalizer under <paramref name="identifier"/>, the name attached to metadata.finalizers.</summary>
    IOperatorBuilder AddFinalizer<TImplementation, TEntity>(string identifier)
        where TImplementation : class, IEntityFinalizer<TEntity>
        where TEntity : IKubernetesObject<V1ObjectMeta>;

    /// <summary>Watches <typeparamref name="TEntity"/> into an <see cref="Watcher.IEntityCache{TEntity}"/> without a controller.</summary>
    IOperatorBuilder AddWatch<TEntity>()
        where TEntity : IKubernetesObject<V1ObjectMeta>;

    /// <summary>
    /// Watches a kind the cluster may not serve (a CRD of another project) into an <see cref="Watcher.IEntityCache{TEntity}"/>:
    /// while its resource is not served (404 on LIST) the cache is empty and synced, readiness is not affected, and the
    /// watcher looks again after <see cref="OperatorSettings.WatchBackoffMax"/>. Call it before any relation to the kind.
    /// </summary>
    IOperatorBuilder AddOptionalWatch<TEntity>()
        where TEntity : IKubernetesObject<V1ObjectMeta>;

    /// <summary>Reconciles the <typeparamref name="TOwner"/> named by a <typeparamref name="TOwned"/>'s controller owner reference whenever that object changes or disappears.</summary>
    IOperatorBuilder Owns<TOwner, TOwned>()
        where TOwner : IKubernetesObject<V1ObjectMeta>
        where TOwned : IKubernetesObject<V1ObjectMeta>;

    /// <summary>Reconciles the <typeparamref name="TEntity"/> objects that <paramref name="map"/> names whenever a <typeparamref name="TRelated"/> changes or disappears.</summary>
    IOperatorBuilder Watches<TEntity, TRelated>(Func<TRelated, IEnumerable<EntityKey>> map)
        where TEntity : IKubernetesObject<V1ObjectMeta>
        where TRelated : IKubernetesObject<V1ObjectMeta>;

    /// <summary>Runs <typeparamref name="TTask"/> after the initial sync and before the first reconcile of every leader term.</summary>
    IOperatorBuilder AddStartupTask<TTask>()
        where TTask : class, IOperatorStartupTask;
}

/// <summary>The builder after <c>AddController</c>: relations of that controller's kind can follow.</summary>
public interface IControllerBuilder<TEntity> : IOperatorBuilder
    where TEntity : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>Same as <see cref="IOperatorBuilder.Owns{TOwner, TOwned}"/> with this controller's kind as owner.</summary>
    IControllerBuilder<TEntity> Owns<TOwned>()
        where TOwned : IKubernetesObject<V1ObjectMeta>;

    /// <summary>Same as <see cref="IOperatorBuilder.Watches{TEntity, TRelated}"/> for this controller's kind.</summary>
    IControllerBuilder<TEntity> Watches<TRelated>(Func<TRelated, IEnumerable<EntityKey>> map)
        where TRelated : IKubernetesObject<V1ObjectMeta>;
}
