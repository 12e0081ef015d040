using k8s.Models;

namespace LbOperator.Sandbox.Controllers.Scheduling;

/// <summary>Whether a pod's tolerations let it stay on (or be placed on) a tainted node.</summary>
public static class Tolerations
{
    /// <summary>
    /// A toleration matches a taint when its effect is empty or the same, and its key is empty with operator
    /// Exists (everything), or the same key with Exists, or the same key and value with Equal (the default).
    /// </summary>
    public static bool Tolerates(V1Toleration toleration, V1Taint taint)
    {
        if (!string.IsNullOrEmpty(toleration.Effect) && toleration.Effect != taint.Effect)
        {
            return false;
        }

        if (string.IsNullOrEmpty(toleration.Key))
        {
            return toleration.OperatorProperty == "Exists";
        }

        if (toleration.Key != taint.Key)
        {
            return false;
        }

        return toleration.OperatorProperty switch
        {
            "Exists" => true,
            null or "" or "Equal" => (toleration.Value ?? "") == (taint.Value ?? ""),
            _ => false,
        };
    }

    public static bool Tolerates(IEnumerable<V1Toleration>? tolerations, V1Taint taint) =>
        tolerations?.Any(t => Tolerates(t, taint)) ?? false;

    /// <summary>The first NoSchedule or NoExecute taint the pod does not tolerate; PreferNoSchedule never blocks.</summary>
    public static V1Taint? FirstBlockingTaint(V1Pod pod, V1Node node) =>
        node.Spec?.Taints?.FirstOrDefault(t => t.Effect is "NoSchedule" or "NoExecute" && !Tolerates(pod.Spec?.Tolerations, t));

    /// <summary>
    /// How long the pod may stay on a node with these NoExecute taints: null for as long as it likes (no NoExecute
    /// taint, or every one tolerated without tolerationSeconds), zero when one is not tolerated at all, otherwise
    /// the shortest tolerationSeconds among the tolerations that match (as the taint eviction controller reckons).
    /// </summary>
    public static TimeSpan? TimeAllowed(V1Pod pod, IEnumerable<V1Taint> noExecuteTaints)
    {
        TimeSpan? allowed = null;
        foreach (var taint in noExecuteTaints)
        {
            var matching = pod.Spec?.Tolerations?.Where(t => Tolerates(t, taint)).ToList() ?? [];
            if (matching.Count == 0)
            {
                return TimeSpan.Zero;
            }

            foreach (var toleration in matching.Where(t => t.TolerationSeconds is not null))
            {
                var seconds = TimeSpan.FromSeconds(Math.Max(0, toleration.TolerationSeconds!.Value));
                allowed = allowed is null || seconds < allowed ? seconds : allowed;
            }
        }

        return allowed;
    }
}
