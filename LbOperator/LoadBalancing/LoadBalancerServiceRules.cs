using k8s.Models;
using LbOperator.Entities;
using LbOperator.Ipam;

namespace LbOperator.LoadBalancing;

/// <summary>
/// The rules that turn a Service into an <see cref="LoadBalancerIntent"/>. Pure: no API calls, no clock.
/// <para>
/// The sequence a controller follows:
/// <list type="number">
/// <item><see cref="Classify"/> (or <see cref="IsOurs"/>): leave other Services alone.</item>
/// <item><see cref="Resolve"/>: provider, Subnet, address request and forwarding, or a message for the user.</item>
/// <item><c>IpamService.Allocate(intent.Subnet.Name, owner, intent.Request)</c>: the addresses.</item>
/// <item><see cref="Gateway.GatewayBuilder.Build"/>: the gateway Deployment.</item>
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

    /// <summary>
    /// Everything LbOperator needs to serve <paramref name="service"/>, checked against <paramref name="subnets"/>
    /// (all Subnets of the cluster): the first problem found is returned as a message naming the Service, the field
    /// or annotation, the value and what is accepted. <paramref name="requireClusterIp"/> is false only when checking
    /// a manifest offline, before the API server has assigned the ClusterIP.
    /// </summary>
    public static RuleResult<LoadBalancerIntent> Resolve(V1Service service, IEnumerable<V1Subnet> subnets, bool requireClusterIp = true)
    {
        ArgumentNullException.ThrowIfNull(service);
        var provider = AttachmentProvider.Of(service);
        if (!provider.IsSuccess)
        {
            return RuleResult<LoadBalancerIntent>.Failure(provider.Error);
        }
        var subnet = SubnetSelector.Select(service, provider.Value, subnets);
        if (!subnet.IsSuccess)
        {
            return RuleResult<LoadBalancerIntent>.Failure(subnet.Error);
        }
        var parsed = SubnetParser.Parse(subnet.Value);
        if (!parsed.IsValid)
        {
            return RuleResult<LoadBalancerIntent>.Failure(
                $"Service {ServiceNames.Display(service)}: Subnet {subnet.Value.Metadata?.Name} is not valid: " +
                string.Join("; ", parsed.Errors.Select(e => e.ToString())));
        }
        var request = AddressRequestParser.Parse(service, provider.Value, parsed.Definition);
        if (!request.IsSuccess)
        {
            return RuleResult<LoadBalancerIntent>.Failure(request.Error);
        }
        var forwarding = ServiceForwarding.Parse(service, requireClusterIp);
        if (!forwarding.IsSuccess)
        {
            return RuleResult<LoadBalancerIntent>.Failure(forwarding.Error);
        }
        return RuleResult<LoadBalancerIntent>.Success(
            new LoadBalancerIntent(provider.Value, parsed.Definition, request.Value, forwarding.Value));
    }
}
