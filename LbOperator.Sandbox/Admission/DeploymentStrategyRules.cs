using System.Text.Json.Nodes;
using LbOperator.Sandbox.Api;

namespace LbOperator.Sandbox.Admission;

/// <summary>
/// A Deployment's spec.strategy as kube-apiserver checks it: Recreate takes no rollingUpdate block; RollingUpdate's
/// maxSurge and maxUnavailable are counts or percents, maxUnavailable at most 100%, and not both 0 (the rollout could
/// never move).
/// </summary>
public static class DeploymentStrategyRules
{
    private const string Path = "spec.strategy";

    public static void Validate(JsonObject strategy, List<FieldError> errors)
    {
        switch (Meta.AsString(strategy["type"]))
        {
            case "Recreate":
                if (strategy["rollingUpdate"] is not null)
                {
                    errors.Add(FieldError.Forbidden($"{Path}.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'"));
                }

                break;
            case "RollingUpdate":
                if (strategy["rollingUpdate"] is not JsonObject rolling)
                {
                    errors.Add(FieldError.Required($"{Path}.rollingUpdate", "this should be defaulted and never be nil"));
                    break;
                }

                var unavailable = IntOrPercentRules.NonNegative(rolling["maxUnavailable"], $"{Path}.rollingUpdate.maxUnavailable", errors);
                var surge = IntOrPercentRules.NonNegative(rolling["maxSurge"], $"{Path}.rollingUpdate.maxSurge", errors);
                if (unavailable is { Value: 0 } && surge is { Value: 0 })
                {
                    errors.Add(FieldError.Invalid($"{Path}.rollingUpdate.maxUnavailable", rolling["maxUnavailable"], "may not be 0 when `maxSurge` is 0"));
                }

                IntOrPercentRules.AtMostHundredPercent(unavailable, rolling["maxUnavailable"], $"{Path}.rollingUpdate.maxUnavailable", errors);
                break;
            default:
                errors.Add(FieldError.NotSupported($"{Path}.type", strategy["type"], ["Recreate", "RollingUpdate"]));
                break;
        }
    }
}
