using k8s.Models;
using LbOperator.Framework.Client;
using LbOperator.Gateway;
using LbOperator.Ipam;
using LbOperator.LoadBalancing;
using Microsoft.Extensions.Logging;

namespace LbOperator.Controllers;

/// <summary>
/// Ends the load balancing of one Service: releases its addresses in the IPAM and deletes its gateway Deployment
/// (only a Deployment this Service controls). Shared by the Service controller (the Service stopped being ours) and
/// the Service finalizer (the Service is being deleted). Safe to repeat.
/// </summary>
public sealed class GatewayTeardown(IKubernetesClient client, IpamState ipam, ILogger<GatewayTeardown> logger)
{
    /// <summary>Tears down; returns what the Service held (null when it held nothing).</summary>
    public async Task<IpamHolding?> RunAsync(V1Service service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        var name = GatewayNames.Deployment(service.Metadata.Name);
        var @namespace = service.Metadata.NamespaceProperty;
        var deployment = await client.GetAsync<V1Deployment>(name, @namespace, cancellationToken);
        if (deployment is not null && GatewayOwnership.IsGatewayOf(deployment, service))
        {
            await client.DeleteAsync<V1Deployment>(name, @namespace, cancellationToken);
            logger.DeletedGateway(name);
        }

        var released = ipam.Release(ServiceRecord.OwnerOf(service));
        if (released is not null)
        {
            logger.Released(released);
        }

        return released;
    }
}
