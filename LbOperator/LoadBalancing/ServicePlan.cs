using LbOperator.Ipam;

namespace LbOperator.LoadBalancing;

/// <summary>
/// What LbOperator will do for one of its Services, all validated: the attachment network (and the NAD's device
/// resource), the Subnet as it is in effect, the address request to give the IPAM, what the gateway forwards, and how
/// many gateway pods the Service asked for (null: the operator's default).
/// </summary>
public sealed record ServicePlan(
    AttachmentProvider Provider,
    NetworkAttachment Attachment,
    SubnetDefinition Subnet,
    AddressRequest Request,
    ServiceForwarding Forwarding,
    int? GatewayReplicas = null);

/// <summary>Why a Service cannot be served now: an Event/condition reason and a message for the user.</summary>
public sealed record ServiceProblem(string Reason, string Message);

/// <summary>A plan, or the first problem found (and, as far as known, the provider and Subnet the Service is after).</summary>
public sealed record PlanOutcome(ServicePlan? Plan, ServiceProblem? Problem, string? Provider, string? Subnet)
{
    public static PlanOutcome Planned(ServicePlan plan) => new(plan, null, plan.Provider.Name, plan.Subnet.Name);

    public static PlanOutcome Failed(string reason, string message, string? provider = null, string? subnet = null) =>
        new(null, new ServiceProblem(reason, message), provider, subnet);
}
