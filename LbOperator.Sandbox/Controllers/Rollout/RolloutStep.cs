namespace LbOperator.Sandbox.Controllers.Rollout;

/// <summary>A ReplicaSet of a Deployment as the rollout sees it: desired pods (spec.replicas) and available pods.</summary>
public sealed record ReplicaSetCounts(string Name, long Replicas, long Available);

/// <summary>One ReplicaSet to rescale: spec.replicas from <paramref name="From"/> to <paramref name="To"/>.</summary>
public sealed record ReplicaSetScale(string Name, long From, long To);

/// <summary>
/// The next step of a Deployment's rollout, computed from counts alone (no server): which ReplicaSets to rescale now.
/// A step does one kind of thing, as kube-controller-manager's sync does, and the next step is computed when the
/// ReplicaSets' statuses change; an empty answer means "wait" (or "done").
/// </summary>
public static class RolloutStep
{
    /// <summary>
    /// RollingUpdate. The new ReplicaSet grows while the pods of all ReplicaSets (their spec.replicas) stay within
    /// replicas + maxSurge; when it cannot grow, old ReplicaSets shrink, first by the pods of theirs that are not
    /// available (they count for nothing), then as far as keeps available pods at replicas − maxUnavailable or more.
    /// <paramref name="olds"/> come oldest first: that is the order they are scaled down in.
    /// </summary>
    public static IReadOnlyList<ReplicaSetScale> RollingUpdate(long desired, Fenceposts fenceposts, ReplicaSetCounts current, IReadOnlyList<ReplicaSetCounts> olds)
    {
        if (current.Replicas > desired)
        {
            return [new ReplicaSetScale(current.Name, current.Replicas, desired)];
        }

        var allPods = current.Replicas + olds.Sum(rs => rs.Replicas);
        if (current.Replicas < desired)
        {
            var room = desired + fenceposts.MaxSurge - allPods;
            if (room > 0)
            {
                return [new ReplicaSetScale(current.Name, current.Replicas, current.Replicas + Math.Min(room, desired - current.Replicas))];
            }
        }

        return ScaleDownOld(desired, fenceposts.MaxUnavailable, current, olds, allPods);
    }

    /// <summary>
    /// The replicas a new ReplicaSet of a RollingUpdate Deployment starts with: as many as the surge leaves room for
    /// beside the old ReplicaSets' pods, at most <paramref name="desired"/>.
    /// </summary>
    public static long InitialReplicas(long desired, Fenceposts fenceposts, IReadOnlyList<ReplicaSetCounts> olds) =>
        Math.Clamp(desired + fenceposts.MaxSurge - olds.Sum(rs => rs.Replicas), 0, desired);

    /// <summary>
    /// Recreate: every old ReplicaSet to zero first; the new one (when there is one) to <paramref name="desired"/> only
    /// once no old pod is left (<paramref name="oldPodsLeft"/>), so old and new pods never run together.
    /// </summary>
    public static IReadOnlyList<ReplicaSetScale> Recreate(long desired, ReplicaSetCounts? current, IReadOnlyList<ReplicaSetCounts> olds, bool oldPodsLeft)
    {
        var scaleDown = olds.Where(rs => rs.Replicas > 0).Select(rs => new ReplicaSetScale(rs.Name, rs.Replicas, 0)).ToList();
        if (scaleDown.Count > 0 || oldPodsLeft || current is null || current.Replicas == desired)
        {
            return scaleDown;
        }

        return [new ReplicaSetScale(current.Name, current.Replicas, desired)];
    }

    private static List<ReplicaSetScale> ScaleDownOld(long desired, long maxUnavailable, ReplicaSetCounts current, IReadOnlyList<ReplicaSetCounts> olds, long allPods)
    {
        if (olds.All(rs => rs.Replicas == 0))
        {
            return [];
        }

        var minAvailable = desired - maxUnavailable;
        var newUnavailable = current.Replicas - current.Available;
        // Pods of the new ReplicaSet that are not available yet may become so: they are not counted as spare.
        var maxScaledDown = allPods - minAvailable - newUnavailable;
        if (maxScaledDown <= 0)
        {
            return [];
        }

        var replicas = olds.ToDictionary(rs => rs.Name, rs => rs.Replicas, StringComparer.Ordinal);

        // Old pods that are not available keep nothing up: removing them costs no availability.
        var cleaned = 0L;
        foreach (var rs in olds)
        {
            var unhealthy = Math.Max(0, rs.Replicas - rs.Available);
            if (cleaned >= maxScaledDown || rs.Replicas == 0 || unhealthy == 0)
            {
                continue;
            }

            var n = Math.Min(maxScaledDown - cleaned, unhealthy);
            replicas[rs.Name] -= n;
            cleaned += n;
        }

        var available = current.Available + olds.Sum(rs => rs.Available);
        var spare = available - minAvailable;
        foreach (var rs in olds)
        {
            if (spare <= 0)
            {
                break;
            }

            var n = Math.Min(replicas[rs.Name], spare);
            replicas[rs.Name] -= n;
            spare -= n;
        }

        return [.. olds.Where(rs => replicas[rs.Name] != rs.Replicas).Select(rs => new ReplicaSetScale(rs.Name, rs.Replicas, replicas[rs.Name]))];
    }
}
