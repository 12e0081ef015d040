namespace LbOperator.Sandbox.Controllers.Rollout;

/// <summary>How far a rolling update may go above and below spec.replicas, in pods.</summary>
public readonly record struct Fenceposts(long MaxSurge, long MaxUnavailable)
{
    /// <summary>
    /// Resolves maxSurge (rounded up) and maxUnavailable (rounded down) against the desired replicas, as
    /// kube-controller-manager does. Validation forbids both being 0, but rounding down can still make both 0 (1 pod,
    /// 25%); then one pod may be unavailable, or the rollout could never move.
    /// </summary>
    public static Fenceposts Resolve(IntOrPercent maxSurge, IntOrPercent maxUnavailable, long desired)
    {
        var surge = maxSurge.Scaled(desired, roundUp: true);
        var unavailable = maxUnavailable.Scaled(desired, roundUp: false);
        return surge == 0 && unavailable == 0 ? new Fenceposts(0, 1) : new Fenceposts(surge, unavailable);
    }
}
