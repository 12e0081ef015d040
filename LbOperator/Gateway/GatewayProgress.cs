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

    /// <summary>How many of the gateway's pods are ready, as the Service's condition says it: "2 of 2 ready".</summary>
    public static string ReadyPods(V1Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var (ready, desired) = Counts(deployment);
        // A rollout's surge pod is counted while it stands in for an old one: the figure never exceeds the request.
        return $"{Math.Min(ready, desired)} of {desired} ready";
    }

    /// <summary>True when a gateway of several pods runs fewer ready ones than asked.</summary>
    public static bool IsShort(V1Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var (ready, desired) = Counts(deployment);
        return desired > 1 && ready < desired;
    }

    /// <summary>True when <paramref name="previousCondition"/> said every pod of the gateway was ready.</summary>
    public static bool WasWhole(string previousCondition, V1Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(previousCondition);
        ArgumentNullException.ThrowIfNull(deployment);
        var desired = Counts(deployment).Desired;
        return previousCondition.Contains($"({desired} of {desired} ready)", StringComparison.Ordinal);
    }

    private static (int Ready, int Desired) Counts(V1Deployment deployment) =>
        (deployment.Status?.ReadyReplicas ?? 0, deployment.Spec?.Replicas ?? 1);
}
