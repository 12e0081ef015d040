using k8s.Models;
using LbOperator.Entities;
using LbOperator.Finalizers;
using LbOperator.Framework.Client;
using LbOperator.Framework.Rbac;
using LbOperator.Framework.Reconciliation;
using LbOperator.Framework.Reconciliation.Controller;
using LbOperator.Ipam;
using LbOperator.LoadBalancing;
using Condition = LbOperator.Controllers.SubnetStatusWriter.Condition;

namespace LbOperator.Controllers;

/// <summary>
/// Keeps each IPAM-only Subnet's status true to the IPAM: the address figures and ranges, and the conditions Ready,
/// Validated and Error. Edits go through the IPAM's rules (a cidrBlock change while addresses are held is refused
/// and the previous definition stays in effect). Subnets of Kube-OVN's own networks are never touched.
/// </summary>
[GenericRbac(Groups = ["kubeovn.io"], Resources = ["subnets"], Verbs = RbacVerb.Get | RbacVerb.List | RbacVerb.Watch | RbacVerb.Update)]
[GenericRbac(Groups = ["kubeovn.io"], Resources = ["subnets/status"], Verbs = RbacVerb.Update)]
public sealed class SubnetController(IKubernetesClient client, IpamState ipam, SubnetStatusWriter status) : IEntityController<V1Subnet>
{
    public async Task<ReconciliationResult<V1Subnet>> ReconcileAsync(V1Subnet entity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var subnet = entity;
        if (!SubnetRules.IsIpamOnly(subnet))
        {
            // Kube-OVN's Subnet. Only a finalizer of ours, left from when its provider named an attachment, is taken
            // back, or its deletion would wait for this operator forever.
            return ReconciliationResult<V1Subnet>.Success(
                subnet.RemoveFinalizer(SubnetFinalizer.Identifier) ? await client.UpdateAsync(subnet, cancellationToken) : subnet);
        }

        if (subnet.AddFinalizer(SubnetFinalizer.Identifier))
        {
            subnet = await client.UpdateAsync(subnet, cancellationToken);
        }

        var name = subnet.Metadata.Name;
        var parsed = SubnetParser.Parse(subnet);
        if (!parsed.IsValid)
        {
            var message = string.Join("; ", parsed.Errors);
            var inEffect = ipam.GetSubnet(name);
            subnet = await status.WriteAsync(subnet,
            [
                new(SubnetStatusWriter.Validated, false, EventReasons.ValidationFailed, message),
                new(SubnetStatusWriter.Error, true, EventReasons.ValidationFailed, message),
                inEffect is null
                    ? new(SubnetStatusWriter.Ready, false, EventReasons.ValidationFailed, "the Subnet is not valid and hands out no addresses")
                    : new(SubnetStatusWriter.Ready, true, EventReasons.SubnetReady,
                        $"the last valid definition (cidrBlock {inEffect.CidrBlock}) stays in effect until the spec is fixed"),
            ], (EventReasons.SubnetInvalid, message), cancellationToken);
            return ReconciliationResult<V1Subnet>.Success(subnet);
        }

        IReadOnlyList<Condition> conditions;
        (string, string)? warning = null;
        switch (ipam.ApplySubnet(parsed.Definition))
        {
            case SubnetChange.Refused refused:
                var current = ipam.GetSubnet(name)!;
                conditions =
                [
                    new(SubnetStatusWriter.Validated, false, EventReasons.CidrChangeRefused, refused.Reason),
                    new(SubnetStatusWriter.Error, true, EventReasons.CidrChangeRefused, refused.Reason),
                    new(SubnetStatusWriter.Ready, true, EventReasons.SubnetReady,
                        $"cidrBlock {current.CidrBlock} stays in effect: {refused.Reason}"),
                ];
                warning = (EventReasons.CidrChangeRefused, refused.Reason);
                break;
            case SubnetChange.Accepted { Overlaps.Count: > 0 } accepted:
                var overlaps = string.Join("; ", accepted.Overlaps);
                conditions =
                [
                    new(SubnetStatusWriter.Validated, true, EventReasons.SubnetValid, "the spec is valid"),
                    new(SubnetStatusWriter.Error, false, EventReasons.NoError, ""),
                    new(SubnetStatusWriter.Ready, true, EventReasons.HeldAddressExcluded,
                        $"hands out addresses; held addresses keep their holders although the spec now excludes them: {overlaps}"),
                ];
                warning = (EventReasons.HeldAddressExcluded, overlaps);
                break;
            default:
                conditions =
                [
                    new(SubnetStatusWriter.Validated, true, EventReasons.SubnetValid, "the spec is valid"),
                    new(SubnetStatusWriter.Error, false, EventReasons.NoError, ""),
                    new(SubnetStatusWriter.Ready, true, EventReasons.SubnetReady, "hands out addresses to LoadBalancer Services"),
                ];
                break;
        }

        subnet = await status.WriteAsync(subnet, conditions, warning, cancellationToken);
        return ReconciliationResult<V1Subnet>.Success(subnet);
    }

    public Task<ReconciliationResult<V1Subnet>> DeletedAsync(V1Subnet entity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        if (SubnetRules.IsIpamOnly(entity))
        {
            // The finalizer has normally done this; a Subnet whose finalizer was removed by hand keeps its holders.
            ipam.RemoveSubnet(entity.Metadata.Name);
        }

        return Task.FromResult(ReconciliationResult<V1Subnet>.Success(entity));
    }
}
