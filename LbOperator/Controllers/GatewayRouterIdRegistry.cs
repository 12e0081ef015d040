using k8s.Models;
using LbOperator.Framework.Watcher;
using LbOperator.Gateway;
using LbOperator.LoadBalancing;

namespace LbOperator.Controllers;

/// <summary>
/// The VRRP router ids of the operator's highly available gateways, distinct cluster-wide (gateways on one physical
/// network must not share one; which gateways share a network is not known, so none share). What the live gateways
/// claim comes from the Deployment cache (the pod-template annotation <see cref="Annotations.GatewayRouterId"/>); what
/// was chosen in this process is kept here, under a lock, so two Services reconciled at once never get the same id.
/// </summary>
public sealed class GatewayRouterIdRegistry(IEntityCache<V1Deployment> deployments, LbOperatorSettings settings)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, VrrpRouterId> _chosen = new(StringComparer.Ordinal);

    /// <summary>The Service's router id: the one it has, or a new one; null when every allowed id is taken.</summary>
    public VrrpRouterId? For(V1Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var uid = service.Metadata?.Uid ?? throw new ArgumentException("the Service has no uid", nameof(service));
        lock (_gate)
        {
            if (_chosen.TryGetValue(uid, out var chosen))
            {
                return chosen;
            }

            var others = _chosen.Where(c => c.Key != uid).Select(c => c.Value).ToHashSet();
            if (VrrpRouterIds.Choose(uid, others, Claims(), settings.Gateway.VrrpRouterIds) is not { } id)
            {
                return null;
            }

            _chosen[uid] = id;
            return id;
        }
    }

    /// <summary>The Service no longer runs a highly available gateway: its id is free again.</summary>
    public void Release(string? serviceUid)
    {
        if (serviceUid is null)
        {
            return;
        }

        lock (_gate)
        {
            _chosen.Remove(serviceUid);
        }
    }

    private List<RouterIdClaim> Claims()
    {
        var claims = new List<RouterIdClaim>();
        foreach (var deployment in deployments.List())
        {
            var owner = deployment.Metadata?.OwnerReferences?.FirstOrDefault(o => o.Controller == true && o.Kind == "Service");
            string? text = null;
            if (owner?.Uid is not { Length: > 0 } uid
                || deployment.Spec?.Template?.Metadata?.Annotations?.TryGetValue(Annotations.GatewayRouterId, out text) != true
                || VrrpRouterId.Parse(text) is not { } id)
            {
                continue;
            }

            var since = deployment.Metadata!.CreationTimestamp is { } created
                ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc))
                : DateTimeOffset.MaxValue;
            claims.Add(new RouterIdClaim(uid, id, since));
        }

        return claims;
    }
}
