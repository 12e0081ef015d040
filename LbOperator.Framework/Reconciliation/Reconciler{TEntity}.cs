using k8s;
using k8s.Models;
using LbOperator.Framework.Builder;
using LbOperator.Framework.Client;
using LbOperator.Framework.Reconciliation.Controller;
using LbOperator.Framework.Reconciliation.Finalizer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LbOperator.Framework.Reconciliation;

/// <summary>
/// Runs controllers and finalizers for one object, in a DI scope of its own (KubeOps' reconciler semantics):
/// a live object gets the registered finalizer names attached (one write, only if one is missing) and then
/// <c>ReconcileAsync</c> of every controller of the kind, in registration order, each given the entity the previous
/// one returned; an object being deleted gets each of our finalizers run in the order of metadata.finalizers and its
/// name removed after Success; a vanished object gets <c>DeletedAsync</c>.
/// </summary>
internal sealed class Reconciler<TEntity>(
    IServiceScopeFactory scopeFactory,
    IKubernetesClient client,
    OperatorSettings settings,
    IEnumerable<FinalizerRegistration<TEntity>> finalizers,
    ILogger<Reconciler<TEntity>> logger)
    where TEntity : IKubernetesObject<V1ObjectMeta>
{
    private readonly FinalizerRegistration<TEntity>[] _finalizers = [.. finalizers];

    public async Task<ReconciliationResult<TEntity>> ReconcileAsync(ReconciliationContext<TEntity> context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var entity = context.Entity;
        // Every line logged during this reconcile, by the framework or a controller, carries the object it is about.
        using var logScope = logger.BeginScope(ReconcileLogScope.For(entity));
        await using var scope = scopeFactory.CreateAsyncScope();
        if (context.EventType == ReconciliationType.Deleted)
        {
            return await RunControllersAsync(scope.ServiceProvider, entity, (c, e) => c.DeletedAsync(e, cancellationToken));
        }

        if (entity.Metadata.DeletionTimestamp is not null)
        {
            return await FinalizeAsync(scope.ServiceProvider, entity, cancellationToken);
        }

        if (settings.AutoAttachFinalizers)
        {
            entity = await AttachFinalizersAsync(entity, cancellationToken);
        }

        return await RunControllersAsync(scope.ServiceProvider, entity, (c, e) => c.ReconcileAsync(e, cancellationToken));
    }

    private async Task<TEntity> AttachFinalizersAsync(TEntity entity, CancellationToken cancellationToken)
    {
        var changed = false;
        foreach (var registration in _finalizers)
        {
            changed |= entity.AddFinalizer(registration.Identifier);
        }

        if (!changed)
        {
            return entity;
        }

        logger.LogDebug("""Attaching finalizers.""");
        return await client.UpdateAsync(entity, cancellationToken);
    }

    private async Task<ReconciliationResult<TEntity>> FinalizeAsync(IServiceProvider services, TEntity entity, CancellationToken cancellationToken)
    {
        while (FirstOwnFinalizer(entity) is { } registration)
        {
            var finalizer = services.GetRequiredKeyedService<IEntityFinalizer<TEntity>>(registration.Identifier);
            logger.LogInformation("""Finalizing with {Finalizer}.""", registration.Identifier);
            var result = await finalizer.FinalizeAsync(entity, cancellationToken);
            if (!result.IsSuccess || !settings.AutoDetachFinalizers)
            {
                return result;
            }

            entity = result.Entity;
            entity.RemoveFinalizer(registration.Identifier);
            entity = await client.UpdateAsync(entity, cancellationToken);
        }

        return ReconciliationResult<TEntity>.Success(entity);
    }

    private FinalizerRegistration<TEntity>? FirstOwnFinalizer(TEntity entity)
    {
        foreach (var name in entity.Finalizers() ?? [])
        {
            if (Array.Find(_finalizers, f => f.Identifier == name) is { } registration)
            {
                return registration;
            }
        }

        return null;
    }

    private static async Task<ReconciliationResult<TEntity>> RunControllersAsync(
        IServiceProvider services,
        TEntity entity,
        Func<IEntityController<TEntity>, TEntity, Task<ReconciliationResult<TEntity>>> call)
    {
        TimeSpan? requeueAfter = null;
        foreach (var controller in services.GetServices<IEntityController<TEntity>>())
        {
            var result = await call(controller, entity);
            if (!result.IsSuccess)
            {
                return result;
            }

            entity = result.Entity;
            if (result.RequeueAfter is { } after && (requeueAfter is null || after < requeueAfter))
            {
                requeueAfter = after;
            }
        }

        return ReconciliationResult<TEntity>.Success(entity, requeueAfter);
    }
}
