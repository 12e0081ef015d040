using k8s.Models;
using LbOperator.Controllers;
using LbOperator.Framework.Entities;
using LbOperator.Framework.Events;
using LbOperator.Framework.Reconciliation;
using LbOperator.Framework.Reconciliation.Finalizer;
using LbOperator.LoadBalancing;

namespace LbOperator.Finalizers;

/// <summary>
/// Runs when one of our Services is deleted: releases its addresses and deletes its gateway Deployment; the
/// runtime then removes the finalizer and the Service goes. Only Services the operator served carry it.
/// </summary>
public sealed class ServiceFinalizer(GatewayTeardown teardown, ServiceDirectory directory, EventPublisher publish) : IEntityFinalizer<V1Service>
{
    /// <summary>The name in metadata.finalizers.</summary>
    public const string Identifier = "lboperator.io/service-finalizer";

    public async Task<ReconciliationResult<V1Service>> FinalizeAsync(V1Service entity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        directory.Remove(EntityKey.Of(entity));
        var released = await teardown.RunAsync(entity, cancellationToken);
        if (released is not null)
        {
            await publish(entity, EventReasons.AddressReleased,
                $"Released {string.Join(",", released.Addresses)} of subnet {released.Subnet}: the Service is being deleted",
                EventType.Normal, cancellationToken);
        }

        return ReconciliationResult<V1Service>.Success(entity);
    }
}
