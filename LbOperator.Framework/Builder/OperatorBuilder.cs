using k8s;
using k8s.Models;
using LbOperator.Framework.Client;
using LbOperator.Framework.Entities;
using LbOperator.Framework.Queue;
using LbOperator.Framework.Reconciliation;
using LbOperator.Framework.Reconciliation.Controller;
using LbOperator.Framework.Reconciliation.Finalizer;
using LbOperator.Framework.Runtime;
using LbOperator.Framework.Watcher;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LbOperator.Framework.Builder;

/// <summary>Registers components into the service collection and records which kinds the runtime watches.</summary>
internal sealed class OperatorBuilder(IServiceCollection services, OperatorSettings settings, OperatorModel model) : IOperatorBuilder
{
    public IServiceCollection Services => services;

    public OperatorSettings Settings => settings;

    public IControllerBuilder<TEntity> AddController<TImplementation, TEntity>()
        where TImplementation : class, IEntityController<TEntity>
        where TEntity : IKubernetesObject<V1ObjectMeta>
    {
        EnsurePipeline<TEntity>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<IEntityController<TEntity>, TImplementation>());
        services.TryAddScoped<TImplementation>();
        return new ControllerBuilder<TEntity>(this);
    }

    public IOperatorBuilder AddFinalizer<TImplementation, TEntity>(string identifier)
        where TImplementation : class, IEntityFinalizer<TEntity>
        where TEntity : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentException.ThrowIfNullOrEmpty(identifier);
        if (!model.AddFinalizer(typeof(TEntity), identifier))
        {
            throw new InvalidOperationException($"A finalizer named '{identifier}' is already registered for {typeof(TEntity).Name}.");
        }

        EnsurePipeline<TEntity>();
        services.AddKeyedScoped<IEntityFinalizer<TEntity>, TImplementation>(identifier);
        services.AddSingleton(new FinalizerRegistration<TEntity>(identifier, typeof(TImplementation)));
        services.AddTransient<EntityFinalizerAttacher<TImplementation, TEntity>>(sp =>
        {
            var client = sp.GetRequiredService<IKubernetesClient>();
            return async (entity, cancellationToken) =>
                entity.AddFinalizer(identifier) ? await client.UpdateAsync(entity, cancellationToken) : entity;
        });
        return this;
    }

    public IOperatorBuilder AddWatch<TEntity>()
        where TEntity : IKubernetesObject<V1ObjectMeta>
    {
        if (model.AddWatchedKind(typeof(TEntity)))
        {
            services.AddSingleton<EntityCache<TEntity>>();
            services.AddSingleton<IEntityCache<TEntity>>(sp => sp.GetRequiredService<EntityCache<TEntity>>());
            services.AddSingleton<ResourceWatcher<TEntity>>();
            services.AddSingleton<IResourceWatcher>(sp => sp.GetRequiredService<ResourceWatcher<TEntity>>());
        }

        return this;
    }

    public IOperatorBuilder AddOptionalWatch<TEntity>()
        where TEntity : IKubernetesObject<V1ObjectMeta>
    {
        if (model.WatchedKinds.Contains(typeof(TEntity)) && !model.IsOptional(typeof(TEntity)))
        {
            throw new InvalidOperationException($"{typeof(TEntity).Name} is watched already; declare it optional before any relation to it.");
        }

        model.AddOptionalKind(typeof(TEntity));
        return AddWatch<TEntity>();
    }

    public IOperatorBuilder Owns<TOwner, TOwned>()
        where TOwner : IKubernetesObject<V1ObjectMeta>
        where TOwned : IKubernetesObject<V1ObjectMeta>
    {
        EnsurePipeline<TOwner>();
        AddWatch<TOwned>();
        if (model.AddRelation(typeof(TOwner), typeof(TOwned), "owns"))
        {
            services.AddSingleton<IWatchEventHandler<TOwned>>(sp => new OwnerRelation<TOwner, TOwned>(
                sp.GetRequiredService<ControllerPipeline<TOwner>>(), sp.GetRequiredService<EntityCache<TOwner>>()));
        }

        return this;
    }

    public IOperatorBuilder Watches<TEntity, TRelated>(Func<TRelated, IEnumerable<EntityKey>> map)
        where TEntity : IKubernetesObject<V1ObjectMeta>
        where TRelated : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(map);
        EnsurePipeline<TEntity>();
        AddWatch<TRelated>();
        services.AddSingleton<IWatchEventHandler<TRelated>>(sp => new MappedRelation<TEntity, TRelated>(
            sp.GetRequiredService<ControllerPipeline<TEntity>>(), map));
        return this;
    }

    public IOperatorBuilder AddStartupTask<TTask>()
        where TTask : class, IOperatorStartupTask
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOperatorStartupTask, TTask>());
        return this;
    }

    private void EnsurePipeline<TEntity>()
        where TEntity : IKubernetesObject<V1ObjectMeta>
    {
        AddWatch<TEntity>();
        if (!model.AddControlledKind(typeof(TEntity)))
        {
            return;
        }

        services.AddSingleton<Reconciler<TEntity>>();
        services.AddSingleton<ControllerPipeline<TEntity>>();
        services.AddSingleton<IControllerPipeline>(sp => sp.GetRequiredService<ControllerPipeline<TEntity>>());
        services.AddSingleton<IWatchEventHandler<TEntity>>(sp => sp.GetRequiredService<ControllerPipeline<TEntity>>());
        services.AddTransient<EntityQueue<TEntity>>(sp => sp.GetRequiredService<ControllerPipeline<TEntity>>().EnqueueEntity);
    }

    private sealed class ControllerBuilder<TEntity>(OperatorBuilder inner) : IControllerBuilder<TEntity>
        where TEntity : IKubernetesObject<V1ObjectMeta>
    {
        public IServiceCollection Services => inner.Services;

        public OperatorSettings Settings => inner.Settings;

        public IControllerBuilder<TEntity> Owns<TOwned>()
            where TOwned : IKubernetesObject<V1ObjectMeta>
        {
            inner.Owns<TEntity, TOwned>();
            return this;
        }

        public IControllerBuilder<TEntity> Watches<TRelated>(Func<TRelated, IEnumerable<EntityKey>> map)
            where TRelated : IKubernetesObject<V1ObjectMeta>
        {
            inner.Watches<TEntity, TRelated>(map);
            return this;
        }

        public IControllerBuilder<TOther> AddController<TImplementation, TOther>()
            where TImplementation : class, IEntityController<TOther>
            where TOther : IKubernetesObject<V1ObjectMeta> => inner.AddController<TImplementation, TOther>();

        public IOperatorBuilder AddFinalizer<TImplementation, TOther>(string identifier)
            where TImplementation : class, IEntityFinalizer<TOther>
            where TOther : IKubernetesObject<V1ObjectMeta> => inner.AddFinalizer<TImplementation, TOther>(identifier);

        public IOperatorBuilder AddWatch<TOther>()
            where TOther : IKubernetesObject<V1ObjectMeta> => inner.AddWatch<TOther>();

        public IOperatorBuilder AddOptionalWatch<TOther>()
            where TOther : IKubernetesObject<V1ObjectMeta> => inner.AddOptionalWatch<TOther>();

        public IOperatorBuilder Owns<TOwner, TOwned>()
            where TOwner : IKubernetesObject<V1ObjectMeta>
            where TOwned : IKubernetesObject<V1ObjectMeta> => inner.Owns<TOwner, TOwned>();

        public IOperatorBuilder Watches<TOther, TRelated>(Func<TRelated, IEnumerable<EntityKey>> map)
            where TOther : IKubernetesObject<V1ObjectMeta>
            where TRelated : IKubernetesObject<V1ObjectMeta> => inner.Watches<TOther, TRelated>(map);

        public IOperatorBuilder AddStartupTask<TTask>()
            where TTask : class, IOperatorStartupTask => inner.AddStartupTask<TTask>();
    }
}
