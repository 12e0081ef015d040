using k8s.Models;
using LbOperator.Entities;
using LbOperator.Framework.Client;
using LbOperator.Framework.Queue;
using LbOperator.Framework.Reconciliation;
using LbOperator.Framework.Watcher;
using LbOperator.Gateway;
using LbOperator.Ipam;
using LbOperator.LoadBalancing;
using Microsoft.Extensions.Logging;

namespace LbOperator.Controllers;

/// <summary>
/// Ends the load balancing of one Service: deletes its gateway Deployment (only a Deployment this Service controls),
/// releases its addresses in the IPAM and wakes the Subnet so that its figures follow at once, then deletes its
/// IpAllocation records (last, so that no second Service records an address while a gateway may announce it). Shared by the Service controller (the Service stopped being ours) and the Service finalizer (the
/// Service is being deleted). Safe to repeat.
/// </summary>
public sealed class GatewayTeardown(
    IKubernetesClient client,
    IpamState ipam,
    AllocationRecordWriter records,
    GatewayDisruptionBudgets budgets,
    GatewayRouterIdRegistry routerIds,
    IEntityCache<V1Subnet> subnets,
    IEntityCache<V1Deployment> deployments,
    EntityQueue<V1Subnet> wakeSubnet,
    ILogger<GatewayTeardown> logger)
{
    /// <summary>Tears down; returns what the Service held (null when it held nothing).</summary>
    public async Task<IpamHolding?> RunAsync(V1Service service, CancellationToken cancellationToken)
    {
        var released = await ReleaseAsync(service, cancellationToken);
        await DeleteRecordsAsync(service, cancellationToken);
        return released;
    }

    /// <summary>
    /// The first half: the gateway goes, then the addresses are released (the records stay, as the last trace of what
    /// the Service held, until <see cref="DeleteRecordsAsync"/>).
    /// </summary>
    public async Task<IpamHolding?> ReleaseAsync(V1Service service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        var name = GatewayNames.Deployment(service.Metadata.Name);
        var @namespace = service.Metadata.NamespaceProperty;
        // The cache holds every labelled gateway; one that lost its label is looked up, since it may still announce.
        var deployment = deployments.Get(name, @namespace) ?? await client.GetAsync<V1Deployment>(name, @namespace, cancellationToken);
        if (deployment is not null && GatewayOwnership.IsGatewayOf(deployment, service))
        {
            await client.DeleteAsync<V1Deployment>(name, @namespace, deployment.Metadata.Uid, cancellationToken);
            logger.DeletedGateway(name);
        }

        await budgets.DeleteAsync(service, cancellationToken);
        routerIds.Release(service.Metadata.Uid);

        var released = ipam.Release(ServiceRecord.OwnerOf(service));
        if (released is not null)
        {
            logger.Released(released);
            // Even when no record was ever written (its write failed), the Subnet's figures must drop the address.
            if (subnets.Get(released.Subnet) is { } subnet)
            {
                await wakeSubnet(subnet, ReconciliationType.Modified, ReconciliationTriggerSource.Operator, TimeSpan.Zero, 0, cancellationToken);
            }
        }

        return released;
    }

    /// <summary>The second half: the Service's IpAllocation records go.</summary>
    public Task DeleteRecordsAsync(V1Service service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        return records.DeleteAllAsync(ServiceRecord.OwnerOf(service), cancellationToken);
    }
}
