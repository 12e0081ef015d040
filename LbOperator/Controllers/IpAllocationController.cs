using k8s.Models;
using LbOperator.Entities;
using LbOperator.Framework.Client;
using LbOperator.Framework.Rbac;
using LbOperator.Framework.Reconciliation;
using LbOperator.Framework.Reconciliation.Controller;
using LbOperator.Framework.Watcher;
using LbOperator.Gateway;
using LbOperator.LoadBalancing;
using Microsoft.Extensions.Logging;

namespace LbOperator.Controllers;

/// <summary>
/// Looks at every IpAllocation when it appears and at every resync, and deletes it when it is no longer needed: its
/// Service is gone (there is no owner reference to let the garbage collector do it, as a cluster-scoped object may
/// not name a namespaced owner), or its Service neither holds the address nor announces it from its gateway (what a
/// move cut short leaves behind). A record whose Service still holds the address, or whose gateway still announces
/// it, is never touched. Objects not in the form the operator writes are left alone.
/// </summary>
// Least privilege: no update (a record is immutable; it changes hands by delete and create) and no patch.
[EntityRbac(typeof(V1IpAllocation), Verbs = RbacVerb.Get | RbacVerb.List | RbacVerb.Watch | RbacVerb.Create | RbacVerb.Delete)]
public sealed class IpAllocationController(
    IKubernetesClient client,
    IEntityCache<V1Service> services,
    IEntityCache<V1Deployment> deployments,
    IpamState ipam,
    AllocationRecordWriter records,
    ILogger<IpAllocationController> logger) : IEntityController<V1IpAllocation>
{
    public async Task<ReconciliationResult<V1IpAllocation>> ReconcileAsync(V1IpAllocation entity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        if (AllocationRecords.Read(entity) is not { } record)
        {
            logger.UnreadableRecord(entity.Metadata.Name);
            return ReconciliationResult<V1IpAllocation>.Success(entity);
        }

        var owner = services.Get(record.Owner.Name, record.Owner.Namespace);
        if (owner?.Metadata?.Uid != record.Owner.Uid)
        {
            // The cache may not show a Service created a moment ago: the API server decides.
            owner = await client.GetAsync<V1Service>(record.Owner.Name, record.Owner.Namespace, cancellationToken);
        }

        var announced = owner is null
            ? []
            : GatewayAnnouncement.Addresses(deployments.Get(GatewayNames.Deployment(owner.Metadata.Name), owner.Metadata.NamespaceProperty), owner);
        if (AllocationRecords.IsNeeded(record, owner, ipam.Lookup(record.Owner), announced))
        {
            return ReconciliationResult<V1IpAllocation>.Success(entity);
        }

        await records.DeleteExactAsync(record.Name, entity.Metadata.Uid, cancellationToken);
        logger.DeletedRecord(record.Name, record.Owner,
            owner?.Metadata?.Uid == record.Owner.Uid ? "the Service neither holds nor announces the address" : "the Service no longer exists");
        return ReconciliationResult<V1IpAllocation>.Success(entity);
    }

    /// <summary>A deleted record of an address still held is written again by its Service's reconcile, which the deletion wakes.</summary>
    public Task<ReconciliationResult<V1IpAllocation>> DeletedAsync(V1IpAllocation entity, CancellationToken cancellationToken) =>
        Task.FromResult(ReconciliationResult<V1IpAllocation>.Success(entity));
}
