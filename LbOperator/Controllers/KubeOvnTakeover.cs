using k8s.Models;
using LbOperator.Framework.Client;
using LbOperator.Framework.Rbac;
using LbOperator.Framework.Watcher;
using LbOperator.Gateway;
using Microsoft.Extensions.Logging;

namespace LbOperator.Controllers;

/// <summary>
/// Takes Services over from Kube-OVN's lb-svc in Kube-OVN mode (docs/kube-ovn.md): finds Kube-OVN's gateway of a
/// Service and its pods, whose address the Service keeps (<see cref="KubeOvnLbSvcGateway.Handover"/>), and deletes
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
    /// Kube-OVN's gateway still serving <paramref name="service"/>, with its pods; null when there is none. Looked for
    /// only in Kube-OVN mode while the Service shows an ingress address and has no gateway of LbOperator's (what
    /// Kube-OVN's lb-svc leaves), so a Service LbOperator serves, or a new one, costs no read.
    /// </summary>
    public async Task<KubeOvnGateway?> FindAsync(V1Service service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (!mode.IsOn || service.Status?.LoadBalancer?.Ingress is not { Count: > 0 }
            || deployments.Get(GatewayNames.Deployment(service.Metadata.Name), service.Metadata.NamespaceProperty) is { } own
            && GatewayOwnership.IsGatewayOf(own, service))
        {
            return null;
        }

        var deployment = await client.GetAsync<V1Deployment>(KubeOvnLbSvcGateway.DeploymentName(service), service.Metadata.NamespaceProperty, cancellationToken);
        if (deployment is null || !KubeOvnLbSvcGateway.IsGatewayOf(deployment, service))
        {
            return null;
        }

        var selector = KubeOvnLbSvcGateway.PodSelector(deployment);
        var pods = selector is null
            ? []
            : await client.ListAsync<V1Pod>(service.Metadata.NamespaceProperty, selector, cancellationToken: cancellationToken);
        return new KubeOvnGateway(deployment, [.. pods]);
    }

    /// <summary>
    /// Deletes Kube-OVN's gateway in the foreground (its pods first; only while it is the object read). True when the
    /// deletion was asked for now, false when it was on its way already.
    /// </summary>
    public async Task<bool> ReplaceAsync(KubeOvnGateway gateway, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        var deployment = gateway.Deployment;
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

/// <summary>Kube-OVN's lb-svc gateway Deployment of a Service and its pods, as read.</summary>
public sealed record KubeOvnGateway(V1Deployment Deployment, IReadOnlyList<V1Pod> Pods);
