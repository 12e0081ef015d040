namespace LbOperator.LoadBalancing;

/// <summary>Whether a Service is LbOperator's to serve, and if not, why it is left alone.</summary>
public enum ServiceOwnership
{
    /// <summary>Type LoadBalancer, the attachment-provider annotation present, no other load balancer class.</summary>
    Ours,

    /// <summary><c>spec.type</c> is not LoadBalancer.</summary>
    NotLoadBalancer,

    /// <summary>No <c>ovn.kubernetes.io/attachmentprovider</c> annotation: another load balancer may serve it.</summary>
    NoAttachmentProvider,

    /// <summary><c>spec.loadBalancerClass</c> names another implementation.</summary>
    OtherLoadBalancerClass,
}
