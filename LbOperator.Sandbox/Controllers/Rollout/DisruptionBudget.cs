using System.Text.Json.Nodes;

namespace LbOperator.Sandbox.Controllers.Rollout;

/// <summary>The controller (by uid) a pod belongs to and its desired replicas.</summary>
public sealed record ControllerScale(string Uid, long Replicas);

/// <summary>A PodDisruptionBudget's status numbers; <see cref="Failure"/> says why they could not be computed.</summary>
public sealed record DisruptionCounts(long ExpectedPods, long CurrentHealthy, long DesiredHealthy, long DisruptionsAllowed, string? Failure = null);

/// <summary>
/// The disruption controller's arithmetic. minAvailable as a count compares with the selected pods; minAvailable as
/// a percent and maxUnavailable compare with the replicas the pods' controllers want (percents round up). Healthy
/// pods are the Ready ones not being deleted and not just evicted (the disrupted ones). A pod without a known controller, when one is needed, fails safe:
/// no disruption allowed.
/// </summary>
public static class DisruptionBudget
{
    public static DisruptionCounts Compute(JsonObject spec, IReadOnlyList<JsonObject> pods, Func<JsonObject, ControllerScale?> controllerOf, IReadOnlySet<string>? disrupted = null)
    {
        var healthy = pods.Count(p => !Meta.IsDeleting(p) && ReplicaSetController.IsReady(p) && disrupted?.Contains(Meta.Name(p)!) != true);
        // Admission has checked both; a value that does not parse is treated as absent.
        var hasMinAvailable = IntOrPercent.TryParse(spec["minAvailable"], out var minAvailable);
        var hasMaxUnavailable = IntOrPercent.TryParse(spec["maxUnavailable"], out var maxUnavailable);
        var needsControllers = hasMaxUnavailable || (hasMinAvailable && minAvailable.IsPercent);

        long expected;
        long desiredHealthy;
        if (!hasMinAvailable && !hasMaxUnavailable)
        {
            // A budget with neither bound expects nothing and so allows nothing, as upstream computes it.
            expected = 0;
            desiredHealthy = 0;
        }
        else if (!needsControllers)
        {
            expected = pods.Count;
            desiredHealthy = hasMinAvailable ? minAvailable.Value : 0;
        }
        else
        {
            var scales = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var pod in pods)
            {
                if (controllerOf(pod) is not { } scale)
                {
                    return new DisruptionCounts(0, healthy, 0, 0, $"found no controllers for pod \"{Meta.Name(pod)}\"");
                }

                scales[scale.Uid] = scale.Replicas;
            }

            expected = scales.Values.Sum();
            desiredHealthy = hasMaxUnavailable
                ? Math.Max(0, expected - maxUnavailable.Scaled(expected, roundUp: true))
                : minAvailable.Scaled(expected, roundUp: true);
        }

        var allowed = expected > 0 ? Math.Max(0, healthy - desiredHealthy) : 0;
        return new DisruptionCounts(expected, healthy, desiredHealthy, allowed);
    }
}
