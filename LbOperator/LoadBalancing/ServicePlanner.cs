using k8s.Models;
using LbOperator.Entities;
using LbOperator.Ipam;

namespace LbOperator.LoadBalancing;

/// <summary>
/// The one planner of a Service of ours, used by the controller, <c>validate</c> and <c>render</c> alike: runs the
/// Service rules step by step (provider, NAD, Subnet, request, forwarding), so that each failure carries its own
/// reason and a message naming the Service, the field or annotation, the value and what is accepted. Pure: it reads
/// only what it is given and changes nothing (the IPAM included).
/// </summary>
public static class ServicePlanner
{
    public static PlanOutcome Plan(V1Service service, PlanningInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(inputs);
        var who = $"Service {ServiceNames.Display(service)}";
        var provider = AttachmentProvider.Of(service);
        if (!provider.IsSuccess)
        {
            return PlanOutcome.Failed(EventReasons.InvalidAnnotation, provider.Error);
        }

        var providerName = provider.Value.Name;
        V1NetworkAttachmentDefinition? nad = null;
        switch (inputs.NetworkAttachment)
        {
            case NetworkAttachmentLookup.Found found when found.Definition.Metadata?.Name == provider.Value.NadName
                && found.Definition.Metadata.NamespaceProperty == provider.Value.NadNamespace:
                nad = found.Definition;
                break;
            case NetworkAttachmentLookup.Unchecked:
                break;
            default:
                return PlanOutcome.Failed(EventReasons.NetworkAttachmentNotFound,
                    $"{who}: NetworkAttachmentDefinition {provider.Value.NadNamespace}/{provider.Value.NadName} " +
                    $"(annotation {Annotations.AttachmentProvider} {MessageText.Quote(providerName)}) does not exist; create it (Multus must be installed) or name an existing one",
                    providerName);
        }

        var attachment = NetworkAttachment.From(provider.Value, nad);
        if (!attachment.IsSuccess)
        {
            return PlanOutcome.Failed(EventReasons.InvalidAnnotation, $"{who}: {attachment.Error}", providerName);
        }

        var selected = SubnetSelector.Select(service, provider.Value, inputs.Subnets);
        if (!selected.IsSuccess)
        {
            return PlanOutcome.Failed(selected.Reason ?? EventReasons.SubnetNotFound, selected.Error, providerName);
        }

        var subnetName = selected.Value.Metadata.Name;
        if (selected.Value.Metadata.DeletionTimestamp is not null && inputs.HeldSubnet != subnetName)
        {
            return PlanOutcome.Failed(EventReasons.SubnetTerminating,
                $"{who}: Subnet {subnetName} is being deleted and hands out no new addresses; " +
                "name another Subnet in the subnet annotation, or create one for the provider",
                providerName, subnetName);
        }

        var definition = inputs.SubnetInEffect(subnetName);
        if (definition is null)
        {
            var parsed = SubnetParser.Parse(selected.Value);
            if (!parsed.IsValid)
            {
                return PlanOutcome.Failed(EventReasons.SubnetInvalid,
                    $"{who}: Subnet {subnetName} is not valid: {string.Join("; ", parsed.Errors)}", providerName, subnetName);
            }

            // Not in effect yet: it must not take addresses another Subnet of its network already hands out.
            if (SubnetOverlap.Blocker(selected.Value, parsed.Definition, inputs.Subnets, inputs.SubnetInEffect) is { } overlap)
            {
                return PlanOutcome.Failed(EventReasons.SubnetInvalid,
                    $"{who}: Subnet {subnetName} hands out no addresses: {overlap}", providerName, subnetName);
            }

            definition = parsed.Definition;
        }

        var request = AddressRequestParser.Parse(service, provider.Value, definition);
        if (!request.IsSuccess)
        {
            return PlanOutcome.Failed(request.Reason ?? EventReasons.InvalidAddressRequest, request.Error, providerName, subnetName);
        }

        var forwarding = ServiceForwarding.Parse(service, inputs.RequireClusterIp);
        if (!forwarding.IsSuccess)
        {
            return PlanOutcome.Failed(forwarding.Reason ?? EventReasons.InvalidServiceSpec, forwarding.Error, providerName, subnetName);
        }

        var replicas = GatewayReplicaRequest.Parse(service);
        if (!replicas.IsSuccess)
        {
            return PlanOutcome.Failed(EventReasons.InvalidAnnotation, replicas.Error, providerName, subnetName);
        }

        return PlanOutcome.Planned(new ServicePlan(provider.Value, attachment.Value, definition, request.Value, forwarding.Value, replicas.Value.Count));
    }

    /// <summary>The problem an IPAM refusal means for the user.</summary>
    public static ServiceProblem ProblemOf(V1Service service, AllocationResult result)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(result);
        var who = $"Service {ServiceNames.Display(service)}";
        return result switch
        {
            AllocationResult.Conflict { Holder: not null } conflict => new ServiceProblem(EventReasons.AddressConflict,
                $"{who}: {conflict.Message}, which keeps it; ask for another address, or none for the lowest free one"),
            AllocationResult.Conflict conflict => new ServiceProblem(EventReasons.AddressConflict, $"{who}: {conflict.Message}; ask for another address"),
            AllocationResult.HeldElsewhere elsewhere => new ServiceProblem(EventReasons.AddressConflict,
                $"{who}: {elsewhere.Message}; ask for another address, or none for the lowest free one"),
            AllocationResult.OutOfRange => new ServiceProblem(EventReasons.AddressOutOfRange, $"{who}: {result.Message}"),
            AllocationResult.Exhausted => new ServiceProblem(EventReasons.SubnetExhausted,
                $"{who}: {result.Message}; retried when an address is freed (or widen the Subnet, or shorten spec.excludeIps)"),
            AllocationResult.SubnetNotFound or AllocationResult.SubnetRefused => new ServiceProblem(EventReasons.SubnetInvalid, $"{who}: {result.Message}"),
            _ => new ServiceProblem(EventReasons.InvalidAddressRequest, $"{who}: {result.Message}"),
        };
    }
}
