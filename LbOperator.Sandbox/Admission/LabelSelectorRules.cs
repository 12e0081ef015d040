using System.Text.Json.Nodes;
using LbOperator.Sandbox.Api;

namespace LbOperator.Sandbox.Admission;

/// <summary>
/// A metav1.LabelSelector as kube-apiserver checks it: label keys and values well formed; each expression a known
/// operator, with values for In/NotIn and none for Exists/DoesNotExist.
/// </summary>
public static class LabelSelectorRules
{
    public static void Validate(JsonObject selector, string path, List<FieldError> errors)
    {
        foreach (var (key, value) in Meta.StringMap(selector["matchLabels"]))
        {
            errors.AddRange(NameRules.QualifiedName(key).Select(m => FieldError.Invalid($"{path}.matchLabels", key, m)));
            errors.AddRange(NameRules.LabelValue(value).Select(m => FieldError.Invalid($"{path}.matchLabels", value, m)));
        }

        var index = 0;
        foreach (var expression in (selector["matchExpressions"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            var at = $"{path}.matchExpressions[{index++}]";
            var values = (expression["values"] as JsonArray)?.Select(v => Meta.AsString(v) ?? "").ToList() ?? [];
            switch (Meta.AsString(expression["operator"]))
            {
                case "In" or "NotIn":
                    if (values.Count == 0)
                    {
                        errors.Add(FieldError.Required($"{at}.values", "must be specified when `operator` is 'In' or 'NotIn'"));
                    }

                    break;
                case "Exists" or "DoesNotExist":
                    if (values.Count > 0)
                    {
                        errors.Add(FieldError.Forbidden($"{at}.values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
                    }

                    break;
                default:
                    errors.Add(FieldError.Invalid($"{at}.operator", expression["operator"], "not a valid selector operator"));
                    break;
            }

            errors.AddRange(NameRules.QualifiedName(Meta.AsString(expression["key"]) ?? "").Select(m => FieldError.Invalid($"{at}.key", Meta.AsString(expression["key"]) ?? "", m)));
            for (var i = 0; i < values.Count; i++)
            {
                errors.AddRange(NameRules.LabelValue(values[i]).Select(m => FieldError.Invalid($"{at}.values[{i}]", values[i], m)));
            }
        }
    }
}
