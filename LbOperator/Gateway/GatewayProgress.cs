using k8s.Models;

namespace LbOperator.Gateway;

/// <summary>
/// Why a gateway Deployment that exists makes no pod, as its own status says: the Deployment controller reports a
/// ReplicaSet that cannot create its pod (a ResourceQuota, a LimitRange, a pod security admission refusing it) as
/// <c>ReplicaFailure=True</c>, and a rollout stuck for <c>progressDeadlineSeconds</c> as <c>Progressing=False</c>.
/// Reading them needs no right on pods. Pure.
/// </summary>
public static class GatewayProgress
{
    /// <summary>The Deployment's own account of why its pod does not come, or null when it reports nothing wrong.</summary>
    public static string? Stuck(V1Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var conditions = deployment.Status?.Conditions ?? [];
        var failure = conditions.FirstOrDefault(c => c.Type == "ReplicaFailure" && c.Status == "True")
            ?? conditions.FirstOrDefault(c => c.Type == "Progressing" && c.Status == "False");
        return failure is null ? null : $"{failure.Type} {failure.Reason}: {failure.Message}";
    }
}
