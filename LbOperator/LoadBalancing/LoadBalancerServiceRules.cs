using k8s.Models;

namespace LbOperator.LoadBalancing;

/// <summary>
/// Which Services are LbOperator's. Pure: no API calls, no clock.
/// <para>
/// The sequence a controller follows:
/// <list type="number">
/// <item><see cref="Classify"/> (or <see cref="IsOurs"/>): leave other Services alone.</item>
/// <item><see cref="ServicePlanner.Plan"/>: provider, NAD, Subnet, address request and forwarding, or a problem for the user.</item>
/// <item>the IPAM: the addresses.</item>
/// <item><c>GatewayBuilder.Build</c>: the gateway Deployment.</item>
/// </list>
/// </para>
/// </summary>
public static class LoadBalancerServiceRules
{
    /// <summary>
    /// A Service is ours when it is of type LoadBalancer, carries the <c>ovn.kubernetes.io/attachmentprovider</c>
    /// annotation (an empty value counts), and has no <c>spec.loadBalancerClass</c> or ours.
    /// </summary>
    public static ServiceOwnership Classify(V1Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (service.Spec?.Type != "LoadBalancer")
        {
            return ServiceOwnership.NotLoadBalancer;
        }
        var loadBalancerClass = service.Spec.LoadBalancerClass;
        if (!string.IsNullOrEmpty(loadBalancerClass) && loadBalancerClass != Annotations.LoadBalancerClass)
        {
            return ServiceOwnership.OtherLoadBalancerClass;
        }
        return service.Metadata?.Annotations?.ContainsKey(Annotations.AttachmentProvider) == true
            ? ServiceOwnership.Ours
            : ServiceOwnership.NoAttachmentProvider;
    }

    public static bool IsOurs(V1Service service) => Classify(service) == ServiceOwnership.Ours;
}
