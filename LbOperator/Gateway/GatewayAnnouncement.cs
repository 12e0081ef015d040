using System.Net;
using k8s.Models;
using LbOperator.Ipam;
using LbOperator.LoadBalancing;

namespace LbOperator.Gateway;

/// <summary>
/// What a Service's gateway Deployment puts on net1, read from its pod template's attachment annotations
/// (<c>&lt;provider&gt;.kubernetes.io/logical_switch</c> and <c>…/ip_address</c>). Only a Deployment the Service controls
/// counts. Whoever can edit the Deployment can change these, so they are evidence of what runs, never proof of
/// what was allocated: the IPAM adopts them only when nothing more trusted names the address.
/// </summary>
public static class GatewayAnnouncement
{
    /// <summary>The Subnet and addresses the gateway announces, as a record of the least trusted kind; null when it announces nothing readable.</summary>
    public static RecordedAllocation? Of(V1Deployment? deployment, V1Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (deployment is null || !GatewayOwnership.IsGatewayOf(deployment, service)
            || AttachmentProvider.Of(service) is not { IsSuccess: true, Value: { } provider })
        {
            return null;
        }

        var annotations = deployment.Spec?.Template?.Metadata?.Annotations;
        if (annotations is null
            || !annotations.TryGetValue(Annotations.LogicalSwitch(provider.Name), out var subnet) || string.IsNullOrEmpty(subnet)
            || !annotations.TryGetValue(Annotations.IpAddress(provider.Name), out var text)
            || ServiceRecord.ParseAddresses(text) is not { Count: > 0 } addresses)
        {
            return null;
        }

        return new RecordedAllocation(ServiceRecord.OwnerOf(service), subnet, addresses, ServiceRecord.CreatedAt(service), RecordSource.GatewayDeployment);
    }

    /// <summary>The addresses the gateway announces (empty when none).</summary>
    public static IReadOnlyList<IPAddress> Addresses(V1Deployment? deployment, V1Service service) =>
        Of(deployment, service)?.Addresses ?? [];
}
