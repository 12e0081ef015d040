using k8s.Models;
using LbOperator.Entities;
using LbOperator.Framework.Client;
using LbOperator.Framework.Watcher;
using LbOperator.Gateway;
using LbOperator.Ipam;
using LbOperator.LoadBalancing;

namespace LbOperator.Operations;

/// <summary>What a Service of ours should get, all checked: its attachment, Subnet (as in effect in the IPAM), request and forwarding.</summary>
public sealed record ServicePlan(
    AttachmentProvider Provider,
    GatewayAttachment Attachment,
    SubnetDefinition Subnet,
    AddressRequest Request,
    ServiceForwarding Forwarding);

/// <summary>Why a Service cannot be served now: an Event/condition reason and a message for the user.</summary>
public sealed record ServiceProblem(string Reason, string Message);

/// <summary>A plan, or the first problem found (and, as far as known, the provider and Subnet the Service is after).</summary>
public sealed record PlanOutcome(ServicePlan? Plan, ServiceProblem? Problem, string? Provider, string? Subnet);

/// <summary>
/// Reads what a Service needs from the world (its NetworkAttachmentDefinition, the Subnets) and runs the Service rules
/// step by step, so each failure carries its own reason. Applies a valid Subnet the IPAM has not seen yet.
/// </summary>
public sealed class ServicePlanner(IKubernetesClient client, IEntityCache<V1Subnet> subnets, IpamState ipam)
{
    public async Task<PlanOutcome> PlanAsync(V1Service service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        var provider = AttachmentProvider.Of(service);
        if (!provider.IsSuccess)
        {
            return Fail(EventReasons.InvalidAnnotation, provider.Error);
        }

        var providerName = provider.Value.Name;
        var nad = await client.GetAsync<V1NetworkAttachmentDefinition>(provider.Value.NadName, provider.Value.NadNamespace, cancellationToken);
        if (nad is null)
        {
            return Fail(EventReasons.NetworkAttachmentNotFound,
                $"Service {ServiceNames.Display(service)}: NetworkAttachmentDefinition {provider.Value.NadNamespace}/{provider.Value.NadName} " +
                $"(annotation {Annotations.AttachmentProvider} \"{providerName}\") does not exist; create it (Multus must be installed) or name an existing one",
                providerName);
        }

        GatewayAttachment attachment;
        try
        {
            attachment = GatewayAttachment.From(provider.Value, nad);
        }
        catch (ArgumentException e)
        {
            return Fail(EventReasons.InvalidAnnotation, e.Message, providerName);
        }

        var selected = SubnetSelector.Select(service, provider.Value, subnets.List());
        if (!selected.IsSuccess)
        {
            return Fail(EventReasons.SubnetNotFound, selected.Error, providerName);
        }

        var subnetName = selected.Value.Metadata.Name;
        var owner = ServiceRecord.OwnerOf(service);
        if (selected.Value.Metadata.DeletionTimestamp is not null && ipam.Lookup(owner)?.Subnet != subnetName)
        {
            return Fail(EventReasons.SubnetTerminating,
                $"Service {ServiceNames.Display(service)}: Subnet {subnetName} is being deleted and hands out no new addresses; " +
                "name another Subnet in the subnet annotation, or create one for the provider",
                providerName, subnetName);
        }

        var definition = ipam.GetSubnet(subnetName);
        if (definition is null)
        {
            var parsed = SubnetParser.Parse(selected.Value);
            if (!parsed.IsValid)
            {
                return Fail(EventReasons.SubnetInvalid,
                    $"Service {ServiceNames.Display(service)}: Subnet {subnetName} is not valid: {string.Join("; ", parsed.Errors)}",
                    providerName, subnetName);
            }

            ipam.ApplySubnet(parsed.Definition);
            definition = ipam.GetSubnet(subnetName) ?? parsed.Definition;
        }

        var request = AddressRequestParser.Parse(service, provider.Value, definition);
        if (!request.IsSuccess)
        {
            return Fail(EventReasons.InvalidAddressRequest, request.Error, providerName, subnetName);
        }

        var forwarding = ServiceForwarding.Parse(service);
        if (!forwarding.IsSuccess)
        {
            var reason = HasUnsupportedProtocol(service) ? EventReasons.UnsupportedProtocol : EventReasons.InvalidServiceSpec;
            return Fail(reason, forwarding.Error, providerName, subnetName);
        }

        return new PlanOutcome(
            new ServicePlan(provider.Value, attachment, definition, request.Value, forwarding.Value), null, providerName, subnetName);
    }

    /// <summary>The problem an IPAM refusal means for the user.</summary>
    public static ServiceProblem ProblemOf(V1Service service, AllocationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var who = $"Service {ServiceNames.Display(service)}";
        return result switch
        {
            AllocationResult.Conflict { Holder: not null } conflict => new ServiceProblem(EventReasons.AddressConflict,
                $"{who}: {conflict.Message}, which keeps it; ask for another address, or none for the lowest free one"),
            AllocationResult.Conflict conflict => new ServiceProblem(EventReasons.AddressConflict, $"{who}: {conflict.Message}; ask for another address"),
            AllocationResult.OutOfRange => new ServiceProblem(EventReasons.AddressOutOfRange, $"{who}: {result.Message}"),
            AllocationResult.Exhausted => new ServiceProblem(EventReasons.SubnetExhausted,
                $"{who}: {result.Message}; retried when an address is freed (or widen the Subnet, or shorten spec.excludeIps)"),
            AllocationResult.SubnetNotFound => new ServiceProblem(EventReasons.SubnetInvalid, $"{who}: {result.Message}"),
            _ => new ServiceProblem(EventReasons.InvalidAddressRequest, $"{who}: {result.Message}"),
        };
    }

    private static bool HasUnsupportedProtocol(V1Service service) =>
        (service.Spec?.Ports ?? []).Any(p => p.Protocol is { Length: > 0 } protocol
            && !(Enum.TryParse<PortProtocol>(protocol, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !char.IsDigit(protocol[0])));

    private static PlanOutcome Fail(string reason, string message, string? provider = null, string? subnet = null) =>
        new(null, new ServiceProblem(reason, message), provider, subnet);
}
