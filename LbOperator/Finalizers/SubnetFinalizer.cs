using LbOperator.Controllers;
using LbOperator.Entities;
using LbOperator.Framework.Reconciliation;
using LbOperator.Framework.Reconciliation.Finalizer;
using LbOperator.Ipam;
using LbOperator.LoadBalancing;

namespace LbOperator.Finalizers;

/// <summary>
/// Holds back the deletion of an IPAM-only Subnet while any Service holds an address from it; the Ready and Error
/// conditions name those Services. Once the last one has let go, the Subnet leaves the IPAM and is deleted.
/// </summary>
public sealed class SubnetFinalizer(IpamState ipam, SubnetStatusWriter status) : IEntityFinalizer<V1Subnet>
{
    /// <summary>The name in metadata.finalizers.</summary>
    public const string Identifier = "lboperator.io/subnet-finalizer";

    public async Task<ReconciliationResult<V1Subnet>> FinalizeAsync(V1Subnet entity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        if (ipam.RemoveSubnet(entity.Metadata.Name) is not SubnetRemoval.Refused refused)
        {
            return ReconciliationResult<V1Subnet>.Success(entity);
        }

        var message = $"deletion waits: {refused.Reason}; delete those Services or move them to another Subnet";
        var subnet = await status.WriteAsync(entity,
        [
            new(SubnetStatusWriter.Ready, false, EventReasons.SubnetInUse, message),
            new(SubnetStatusWriter.Error, true, EventReasons.SubnetInUse, message),
        ], (EventReasons.SubnetInUse, message), cancellationToken);
        // Retried with backoff; a Service letting go of an address also wakes the Subnet at once.
        return ReconciliationResult<V1Subnet>.Failure(subnet, message);
    }
}
