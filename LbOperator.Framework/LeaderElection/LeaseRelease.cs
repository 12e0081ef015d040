using k8s.Models;
using LbOperator.Framework.Client;

namespace LbOperator.Framework.LeaderElection;

/// <summary>
/// Gives the lease up on a graceful stop (holder emptied), so a standby replica takes over at its next retry
/// instead of after the lease duration.
/// </summary>
internal static class LeaseRelease
{
    public static async Task ReleaseAsync(IKubernetesClient client, string @namespace, string name, string identity, CancellationToken cancellationToken)
    {
        var lease = await client.GetAsync<V1Lease>(name, @namespace, cancellationToken);
        if (lease?.Spec is null || lease.Spec.HolderIdentity != identity)
        {
            return;
        }

        lease.Spec.HolderIdentity = string.Empty;
        lease.Spec.LeaseDurationSeconds = 1;
        lease.Spec.RenewTime = DateTime.UtcNow;
        await client.UpdateAsync(lease, cancellationToken);
    }
}
