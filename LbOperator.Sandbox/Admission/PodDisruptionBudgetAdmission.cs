using System.Text.Json.Nodes;
using LbOperator.Sandbox.Api;
using LbOperator.Sandbox.Resources;

namespace LbOperator.Sandbox.Admission;

/// <summary>
/// policy/v1 PodDisruptionBudgets as kube-apiserver takes them: status starts empty; minAvailable and
/// maxUnavailable not both set (neither is allowed), each a count or a percent of at most 100%; the selector well formed.
/// </summary>
public sealed class PodDisruptionBudgetAdmission : IAdmissionPlugin
{
    private static readonly string[] EvictionPolicies = ["IfHealthyBudget", "AlwaysAllow"];

    public bool AppliesTo(ResourceDescriptor descriptor) => descriptor == BuiltInResources.PodDisruptionBudgets;

    public void Admit(AdmissionContext context)
    {
        if (context.Subresource == "status")
        {
            return;
        }

        var obj = context.NewObject;
        if (context.IsCreate)
        {
            obj["status"] = new JsonObject { ["disruptionsAllowed"] = 0, ["currentHealthy"] = 0, ["desiredHealthy"] = 0, ["expectedPods"] = 0 };
        }

        var spec = obj["spec"] as JsonObject ?? [];
        obj["spec"] = spec;
        var errors = context.Errors;
        if (spec["minAvailable"] is not null && spec["maxUnavailable"] is not null)
        {
            errors.Add(FieldError.Invalid("spec", spec, "minAvailable and maxUnavailable cannot be both set"));
        }

        foreach (var field in new[] { "minAvailable", "maxUnavailable" })
        {
            if (spec[field] is { } raw)
            {
                var value = IntOrPercentRules.NonNegative(raw, $"spec.{field}", errors);
                IntOrPercentRules.AtMostHundredPercent(value, raw, $"spec.{field}", errors);
            }
        }

        if (spec["selector"] is JsonObject selector)
        {
            LabelSelectorRules.Validate(selector, "spec.selector", errors);
        }

        if (spec["unhealthyPodEvictionPolicy"] is { } policy && !EvictionPolicies.Contains(Meta.AsString(policy)))
        {
            errors.Add(FieldError.NotSupported("spec.unhealthyPodEvictionPolicy", policy, EvictionPolicies));
        }
    }
}
