using LbOperator.Ipam;

namespace LbOperator.LoadBalancing;

/// <summary>
/// What LbOperator will do for one of its Services, all validated: the attachment network, the Subnet, the address
/// request to give the IPAM, and what the gateway forwards.
/// </summary>
public sealed record LoadBalancerIntent(
    AttachmentProvider Provider,
    SubnetDefinition Subnet,
    AddressRequest Request,
    ServiceForwarding Forwarding);
