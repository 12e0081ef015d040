using System.Text.Json.Nodes;

namespace LbOperator.Sandbox.Controllers.Rollout;

/// <summary>A Deployment's spec.strategy as the controller uses it (admission has defaulted and validated it).</summary>
public sealed record DeploymentStrategy(bool IsRecreate, IntOrPercent MaxSurge, IntOrPercent MaxUnavailable)
{
    private static readonly IntOrPercent Default = IntOrPercent.Percent(25);

    public static DeploymentStrategy Of(JsonObject deploymentSpec)
    {
        var strategy = deploymentSpec["strategy"] as JsonObject;
        var rolling = strategy?["rollingUpdate"] as JsonObject;
        return new DeploymentStrategy(
            Meta.AsString(strategy?["type"]) == "Recreate",
            IntOrPercent.TryParse(rolling?["maxSurge"], out var surge) ? surge : Default,
            IntOrPercent.TryParse(rolling?["maxUnavailable"], out var unavailable) ? unavailable : Default);
    }

    public Fenceposts Resolve(long desired) => Fenceposts.Resolve(MaxSurge, MaxUnavailable, desired);

    /// <summary>Pods that may be missing while the Deployment still counts as Available: none for Recreate or 0 replicas.</summary>
    public long AllowedUnavailable(long desired) =>
        IsRecreate || desired == 0 ? 0 : Math.Min(Resolve(desired).MaxUnavailable, desired);

    /// <summary>Pods above spec.replicas a rollout may run (the max-replicas annotation adds it): none for Recreate.</summary>
    public long AllowedSurge(long desired) => IsRecreate ? 0 : Resolve(desired).MaxSurge;
}
