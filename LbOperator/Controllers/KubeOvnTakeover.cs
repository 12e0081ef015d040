using k8s.Models;
using LbOperator.Framework.Client;
using LbOperator.Framework.Rbac;
using LbOperator.Framework.Watcher;
using LbOperator.Gateway;
using LbOperator.Ipam;
using LbOperator.LoadBalancing;
using Microsoft.Extensions.Logging;

namespace LbOperator.Controllers;

/// <summary>
/// Takes Services over from Kube-OVN's lb-svc in Kube-OVN mode (docs/kube-ovn.md): finds Kube-OVN's gateway of a
/// Service, reads its pods once, for the address the Service keeps (<see cref="KubeOvnLbSvcGateway.Handover"/>), and deletes
/// that Deployment in the foreground, so LbOperator's gateway is created only once Kube-OVN's pod is gone.
/// </summary>
// Only list, and only here: the address Kube-OVN gave its gateway is on the pod alone.
[GenericRbac(Groups = [""], Resources = ["pods"], Verbs = RbacVerb.List)]
public sealed class KubeOvnTakeover(
    IKubernetesClient client,
    KubeOvnMode mode,
    IEntityCache<V1Deployment> deployments,
    ILogger<KubeOvnTakeover> logger)
{
    /// <summary>
    /// Kube-OVN's gateway Deployment still serving <paramref name="service"/>; null when there is none. Looked for
    /// only in Kube-OVN mode while the Service shows an ingress address and has no gateway of LbOperator's (what
    /// Kube-OVN's lb-svc leaves), so a Service LbOperator serves, or a new one, costs no read.
    /// </summary>
    public async Task<V1Deployment?> FindAsync(V1Service service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (!mode.IsOn || service.Status?.LoadBalancer?.Ingress is not { Count: > 0 }
            || deployments.Get(GatewayNames.Deployment(service.Metadata.Name), service.Metadata.NamespaceProperty) is { } own
            && GatewayOwnership.IsGatewayOf(own, service))
        {
            return null;
        }

        var deployment = await client.GetAsync<V1Deployment>(KubeOvnLbSvcGateway.DeploymentName(service), service.Metadata.NamespaceProperty, cancellationToken);
        return KubeOvnLbSvcGateway.IsGatewayOf(deployment, service) ? deployment : null;
    }

    /// <summary>
    /// The request that keeps what Kube-OVN's gateway pod holds (<see cref="KubeOvnLbSvcGateway.Handover"/>), handed over
    /// by the pod's Kube-OVN IP where Kube-OVN's IPAM served the pod; a failure names what disagrees.
    /// </summary>
    public async Task<RuleResult<AddressRequest>> HandoverRequestAsync(V1Service service, ServicePlan plan, V1Deployment gateway, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(plan);
        var handover = KubeOvnLbSvcGateway.Handover(service, plan, gateway, await PodsOfAsync(gateway, cancellationToken));
        return handover.IsSuccess
            ? RuleResult<AddressRequest>.Success(AddressRequest.HandedOver(handover.Value.Addresses,
                KubeOvnAddresses.IpHolder($"{handover.Value.PodName}.{service.Metadata.NamespaceProperty}.{plan.Provider.Name}")))
            : RuleResult<AddressRequest>.Failure(handover.Error, EventReasons.KubeOvnTakeoverRefused);
    }

    // Read only for the hand-over, not while the Deployment goes.
    private async Task<IReadOnlyList<V1Pod>> PodsOfAsync(V1Deployment gateway, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        return KubeOvnLbSvcGateway.PodSelector(gateway) is { } selector
            ? [.. await client.ListAsync<V1Pod>(gateway.Metadata.NamespaceProperty, selector, cancellationToken: cancellationToken)]
            : [];
    }

    /// <summary>
    /// Deletes Kube-OVN's gateway in the foreground (its pods first; only while it is the object read). True when the
    /// deletion was asked for now, false when it was on its way already.
    /// </summary>
    public async Task<bool> ReplaceAsync(V1Deployment deployment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        if (deployment.Metadata.DeletionTimestamp is not null)
        {
            return false;
        }

        await client.DeleteAsync<V1Deployment>(deployment.Metadata.Name, deployment.Metadata.NamespaceProperty,
            new V1DeleteOptions { PropagationPolicy = "Foreground", Preconditions = new V1Preconditions { Uid = deployment.Metadata.Uid } },
            cancellationToken);
        logger.ReplacingKubeOvnGateway(deployment.Metadata.Name);
        return true;
    }
}
