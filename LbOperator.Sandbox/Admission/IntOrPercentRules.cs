using System.Text.Json;
using System.Text.Json.Nodes;
using LbOperator.Sandbox.Api;
using LbOperator.Sandbox.Controllers.Rollout;

namespace LbOperator.Sandbox.Admission;

/// <summary>kube-apiserver's checks of IntOrString fields that count pods (a Deployment's strategy, a PodDisruptionBudget).</summary>
public static class IntOrPercentRules
{
    /// <summary>A number not below zero, or a <c>"N%"</c> string. Returns the parsed value when it is one.</summary>
    public static IntOrPercent? NonNegative(JsonNode? value, string field, List<FieldError> errors)
    {
        if (IntOrPercent.TryParse(value, out var parsed))
        {
            if (!parsed.IsPercent && parsed.Value < 0)
            {
                errors.Add(FieldError.Invalid(field, value, "must be greater than or equal to 0"));
            }

            return parsed;
        }

        errors.Add(FieldError.Invalid(field, value, value is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"
            : "must be an integer or percentage (e.g '5%')"));
        return null;
    }

    /// <summary>A percent above 100 makes no sense for a share of pods.</summary>
    public static void AtMostHundredPercent(IntOrPercent? value, JsonNode? raw, string field, List<FieldError> errors)
    {
        if (value is { IsPercent: true, Value: > 100 })
        {
            errors.Add(FieldError.Invalid(field, raw, "must not be greater than 100%"));
        }
    }
}
