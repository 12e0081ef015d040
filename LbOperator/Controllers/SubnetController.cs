using k8s.Models;
using LbOperator.Entities;
using LbOperator.Finalizers;
using LbOperator.Framework.Client;
using LbOperator.Framework.Rbac;
using LbOperator.Framework.Reconciliation;
using LbOperator.Framework.Reconciliation.Controller;
using LbOperator.Framework.Watcher;
using LbOperator.Ipam;
using LbOperator.LoadBalancing;
using Condition = LbOperator.Controllers.SubnetStatusWriter.Condition;

namespace LbOperator.Controllers;

/// <summary>
/// Keeps each IPAM-only Subnet's status true to the IPAM: the address figures and ranges, and the conditions Ready,
/// Validated and Error. Edits go through the IPAM's rules (a cidrBlock change while addresses are held is refused
/// and the previous definition stays in effect; a CIDR overlapping another Subnet of the same network is refused,
/// see <see cref="SubnetOverlap"/>). The definition in effect is recorded on the Subnet (<see cref="AcceptedSpec"/>)
/// for the rebuild after a restart. Subnets of Kube-OVN's own networks are never touched.
/// </summary>
[GenericRbac(Groups = ["kubeovn.io"], Resources = ["subnets"], Verbs = RbacVerb.Get | RbacVerb.List | RbacVerb.Watch | RbacVerb.Update)]
[GenericRbac(Groups = ["kubeovn.io"], Resources = ["subnets/status"], Verbs = RbacVerb.Update)]
[EntityRbac(typeof(V1KubeOvnIp), Verbs = RbacVerb.List | RbacVerb.Watch)]
[EntityRbac(typeof(V1KubeOvnVip), Verbs = RbacVerb.List | RbacVerb.Watch)]
public sealed class SubnetController(
    IKubernetesClient client, IEntityCache<V1Subnet> subnets, IpamState ipam, SubnetStatusWriter status, OverlapWaitList overlapping,
    KubeOvnAddresses kubeOvn)
    : IEntityController<V1Subnet>
{
    public async Task<ReconciliationResult<V1Subnet>> ReconcileAsync(V1Subnet entity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var subnet = entity;
        if (!SubnetRules.IsIpamOnly(subnet))
        {
            // Kube-OVN's Subnet. Only a finalizer (and record) of ours, left from when its provider named an
            // attachment, is taken back, or its deletion would wait for this operator forever.
            overlapping.Set(subnet.Metadata.Name, false);
            var ours = subnet.RemoveFinalizer(SubnetFinalizer.Identifier) | AcceptedSpec.Write(subnet, null);
            return ReconciliationResult<V1Subnet>.Success(ours ? await client.UpdateAsync(subnet, cancellationToken) : subnet);
        }

        var name = subnet.Metadata.Name;
        ipam.SetHeldElsewhere(name, kubeOvn.In(name));
        var parsed = SubnetParser.Parse(subnet);
        if (!parsed.IsValid)
        {
            overlapping.Set(name, false);
            subnet = await RecordAsync(subnet, cancellationToken);
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

        // An older Subnet not reconciled yet goes first, whatever order the reconciles run in.
        var change = SubnetOverlap.Blocker(subnet, parsed.Definition, subnets.List(), ipam.GetSubnet) is { } blocked
            ? new SubnetChange.Overlapping(blocked)
            : ipam.ApplySubnet(parsed.Definition);
        overlapping.Set(name, change is SubnetChange.Overlapping);
        subnet = await RecordAsync(subnet, cancellationToken);
        IReadOnlyList<Condition> conditions;
        (string, string)? warning = null;
        switch (change)
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
            case SubnetChange.Overlapping overlap:
                var previous = ipam.GetSubnet(name);
                conditions =
                [
                    new(SubnetStatusWriter.Validated, false, EventReasons.CidrOverlap, overlap.Reason),
                    new(SubnetStatusWriter.Error, true, EventReasons.CidrOverlap, overlap.Reason),
                    previous is null
                        ? new(SubnetStatusWriter.Ready, false, EventReasons.CidrOverlap, $"hands out no addresses: {overlap.Reason}")
                        : new(SubnetStatusWriter.Ready, true, EventReasons.SubnetReady,
                            $"cidrBlock {previous.CidrBlock} stays in effect: {overlap.Reason}"),
                ];
                warning = (EventReasons.CidrOverlap, overlap.Reason);
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
        overlapping.Set(entity.Metadata.Name, false);
        status.Forget(entity.Metadata.Name);
        if (SubnetRules.IsIpamOnly(entity))
        {
            // The finalizer has normally done this; a Subnet whose finalizer was removed by hand keeps its holders.
            ipam.RemoveSubnet(entity.Metadata.Name);
        }

        return Task.FromResult(ReconciliationResult<V1Subnet>.Success(entity));
    }

    /// <summary>
    /// Puts the finalizer and the record of the definition in effect on the Subnet, in one write and only when either
    /// is missing or differs. The record is written after the IPAM took the definition, so a restart rebuilds it.
    /// </summary>
    private async Task<V1Subnet> RecordAsync(V1Subnet subnet, CancellationToken cancellationToken)
    {
        var changed = subnet.AddFinalizer(SubnetFinalizer.Identifier);
        changed |= AcceptedSpec.Write(subnet, ipam.GetSubnet(subnet.Metadata.Name));
        return changed ? await client.UpdateAsync(subnet, cancellationToken) : subnet;
    }
}
