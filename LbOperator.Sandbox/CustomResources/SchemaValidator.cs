using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LbOperator.Sandbox.Api;

namespace LbOperator.Sandbox.CustomResources;

/// <summary>
/// Applies a CRD's structural openAPIV3Schema to a custom resource the way kube-apiserver does: prune unknown
/// fields (unless x-kubernetes-preserve-unknown-fields), apply defaults, then validate type, required, enum,
/// pattern, lengths, bounds, item counts, formats and the logical junctors. CEL rules (x-kubernetes-validations)
/// are accepted but not evaluated.
/// </summary>
public static class SchemaValidator
{
    private static readonly HashSet<string> ObjectMetaFields = new(
    [
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers", "managedFields",
    ], StringComparer.Ordinal);

    public static void Admit(JsonObject obj, JsonObject schema, List<FieldError> errors)
    {
        Prune(obj, schema, isRoot: true);
        ApplyDefaults(obj, schema);
        ValidateObjectMembers(obj, schema, "", errors, isRoot: true);
    }

    // ---- pruning ------------------------------------------------------------------------------------------------

    private static void Prune(JsonNode? node, JsonObject? schema, bool isRoot)
    {
        if (schema is null)
        {
            return;
        }

        switch (node)
        {
            case JsonObject obj:
                var preserve = Meta.AsBool(schema["x-kubernetes-preserve-unknown-fields"]);
                var embedded = Meta.AsBool(schema["x-kubernetes-embedded-resource"]);
                var properties = schema["properties"] as JsonObject;
                var additional = schema["additionalProperties"];
                foreach (var (key, value) in obj.ToList())
                {
                    if ((isRoot || embedded) && key is "apiVersion" or "kind")
                    {
                        continue;
                    }

                    if ((isRoot || embedded) && key == "metadata")
                    {
                        if (value is JsonObject metadata)
                        {
                            foreach (var field in metadata.Select(kv => kv.Key).Where(f => !ObjectMetaFields.Contains(f)).ToList())
                            {
                                metadata.Remove(field);
                            }
                        }

                        continue;
                    }

                    if (properties?[key] is JsonObject propertySchema)
                    {
                        Prune(value, propertySchema, false);
                    }
                    else if (additional is JsonObject additionalSchema)
                    {
                        Prune(value, additionalSchema, false);
                    }
                    else if (!preserve && !(additional is JsonValue a && a.GetValueKind() == JsonValueKind.True))
                    {
                        obj.Remove(key);
                    }
                }

                break;
            case JsonArray array when schema["items"] is JsonObject items:
                foreach (var item in array)
                {
                    Prune(item, items, false);
                }

                break;
        }
    }

    // ---- defaulting ---------------------------------------------------------------------------------------------

    private static void ApplyDefaults(JsonNode? node, JsonObject? schema)
    {
        if (schema is null)
        {
            return;
        }

        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, propertySchema) in (schema["properties"] as JsonObject) ?? [])
                {
                    if (propertySchema is not JsonObject ps)
                    {
                        continue;
                    }

                    if (!obj.ContainsKey(key) && ps["default"] is { } defaultValue)
                    {
                        obj[key] = defaultValue.DeepClone();
                    }

                    ApplyDefaults(obj[key], ps);
                }

                if (schema["additionalProperties"] is JsonObject additional)
                {
                    foreach (var (_, value) in obj.ToList())
                    {
                        ApplyDefaults(value, additional);
                    }
                }

                break;
            case JsonArray array when schema["items"] is JsonObject items:
                foreach (var item in array)
                {
                    ApplyDefaults(item, items);
                }

                break;
        }
    }

    // ---- validation ---------------------------------------------------------------------------------------------

    private static string Join(string path, string field) => path.Length == 0 ? field : $"{path}.{field}";

    private static void ValidateObjectMembers(JsonObject obj, JsonObject schema, string path, List<FieldError> errors, bool isRoot)
    {
        var properties = schema["properties"] as JsonObject;
        foreach (var required in (schema["required"] as JsonArray)?.Select(r => r?.ToString() ?? "") ?? [])
        {
            if (!obj.ContainsKey(required) || obj[required] is null)
            {
                errors.Add(FieldError.Required(Join(path, required)));
            }
        }

        foreach (var (key, value) in obj)
        {
            if (isRoot && key is "apiVersion" or "kind" or "metadata")
            {
                continue;
            }

            if (properties?[key] is JsonObject propertySchema)
            {
                Validate(value, propertySchema, Join(path, key), errors);
            }
            else if (schema["additionalProperties"] is JsonObject additional)
            {
                Validate(value, additional, Join(path, key), errors);
            }
        }

        if (Meta.AsInteger(schema["minProperties"]) is { } minProperties && obj.Count < minProperties)
        {
            errors.Add(FieldError.Invalid(path, JsonValue.Create(obj.Count), $"{path} in body should have at least {minProperties} properties"));
        }

        if (Meta.AsInteger(schema["maxProperties"]) is { } maxProperties && obj.Count > maxProperties)
        {
            errors.Add(FieldError.TooMany(path, obj.Count, (int)maxProperties));
        }
    }

    private static void Validate(JsonNode? value, JsonObject schema, string path, List<FieldError> errors)
    {
        if (value is null)
        {
            if (!Meta.AsBool(schema["nullable"]))
            {
                errors.Add(FieldError.TypeInvalid(path, JsonValue.Create("null"), $"{path} in body must be of type {Meta.AsString(schema["type"]) ?? "object"}: \"null\""));
            }

            return;
        }

        var actual = TypeOf(value);
        if (Meta.AsBool(schema["x-kubernetes-int-or-string"]))
        {
            if (actual is not ("integer" or "string"))
            {
                errors.Add(FieldError.TypeInvalid(path, JsonValue.Create(actual), $"{path} in body must be of type integer,string: \"{actual}\""));
                return;
            }
        }
        else if (Meta.AsString(schema["type"]) is { } expected && !(expected == actual || (expected == "number" && actual == "integer")))
        {
            errors.Add(FieldError.TypeInvalid(path, JsonValue.Create(actual), $"{path} in body must be of type {expected}: \"{actual}\""));
            return;
        }

        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => Meta.JsonEquals(a, value)))
        {
            errors.Add(FieldError.NotSupported(path, value, allowed.Select(a => a is JsonValue v && Meta.AsString(v) is { } s ? s : a?.ToJsonString() ?? "null")));
        }

        switch (value)
        {
            case JsonObject obj:
                ValidateObjectMembers(obj, schema, path, errors, isRoot: Meta.AsBool(schema["x-kubernetes-embedded-resource"]));
                break;
            case JsonArray array:
                ValidateArray(array, schema, path, errors);
                break;
            case JsonValue v when Meta.AsString(v) is { } text:
                ValidateString(text, schema, path, errors);
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                ValidateNumber(Meta.AsDouble(v) ?? 0, value, schema, path, errors);
                break;
        }

        ValidateJunctors(value, schema, path, errors);
    }

    private static void ValidateArray(JsonArray array, JsonObject schema, string path, List<FieldError> errors)
    {
        if (Meta.AsInteger(schema["minItems"]) is { } min && array.Count < min)
        {
            errors.Add(FieldError.Invalid(path, JsonValue.Create(array.Count), $"{path} in body should have at least {min} items"));
        }

        if (Meta.AsInteger(schema["maxItems"]) is { } max && array.Count > max)
        {
            errors.Add(FieldError.TooMany(path, array.Count, (int)max));
        }

        if (schema["items"] is JsonObject items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Validate(array[i], items, $"{path}[{i}]", errors);
            }
        }

        if (Meta.AsString(schema["x-kubernetes-list-type"]) == "set")
        {
            for (var i = 1; i < array.Count; i++)
            {
                if (array.Take(i).Any(prior => Meta.JsonEquals(prior, array[i])))
                {
                    errors.Add(FieldError.Duplicate($"{path}[{i}]", array[i]));
                }
            }
        }
    }

    private static void ValidateString(string text, JsonObject schema, string path, List<FieldError> errors)
    {
        if (Meta.AsInteger(schema["minLength"]) is { } min && text.Length < min)
        {
            errors.Add(FieldError.Invalid(path, text, $"{path} in body should be at least {min} chars long"));
        }

        if (Meta.AsInteger(schema["maxLength"]) is { } max && text.Length > max)
        {
            errors.Add(new FieldError(FieldErrorType.TooLong, path, null, $"may not be more than {max} bytes"));
        }

        if (Meta.AsString(schema["pattern"]) is { } pattern)
        {
            bool matches;
            try
            {
                matches = Regex.IsMatch(text, pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException)
            {
                matches = true;
            }

            if (!matches)
            {
                errors.Add(FieldError.Invalid(path, text, $"{path} in body should match '{pattern}'"));
            }
        }

        if (Meta.AsString(schema["format"]) is { } format && !FormatMatches(format, text))
        {
            errors.Add(FieldError.Invalid(path, text, $"{path} in body must be of type {format}: \"{text}\""));
        }
    }

    private static void ValidateNumber(double number, JsonNode value, JsonObject schema, string path, List<FieldError> errors)
    {
        if (schema["minimum"] is JsonValue minimum && Meta.AsDouble(minimum) is { } min)
        {
            var exclusive = Meta.AsBool(schema["exclusiveMinimum"]);
            if (exclusive ? number <= min : number < min)
            {
                errors.Add(FieldError.Invalid(path, value, $"{path} in body should be greater than {(exclusive ? "" : "or equal to ")}{Render(minimum)}"));
            }
        }

        if (schema["maximum"] is JsonValue maximum && Meta.AsDouble(maximum) is { } max)
        {
            var exclusive = Meta.AsBool(schema["exclusiveMaximum"]);
            if (exclusive ? number >= max : number > max)
            {
                errors.Add(FieldError.Invalid(path, value, $"{path} in body should be less than {(exclusive ? "" : "or equal to ")}{Render(maximum)}"));
            }
        }

        if (schema["multipleOf"] is JsonValue multiple && Meta.AsDouble(multiple) is { } factor && factor > 0
            && Math.Abs(Math.IEEERemainder(number, factor)) > 1e-9)
        {
            errors.Add(FieldError.Invalid(path, value, $"{path} in body should be a multiple of {Render(multiple)}"));
        }
    }

    private static void ValidateJunctors(JsonNode value, JsonObject schema, string path, List<FieldError> errors)
    {
        List<FieldError> Try(JsonObject sub)
        {
            var found = new List<FieldError>();
            var withType = (JsonObject)sub.DeepClone();
            Validate(value.DeepClone(), withType, path, found);
            return found;
        }

        foreach (var sub in (schema["allOf"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            errors.AddRange(Try(sub));
        }

        if (schema["anyOf"] is JsonArray anyOf && anyOf.OfType<JsonObject>().All(s => Try(s).Count > 0))
        {
            errors.Add(FieldError.Invalid(path, value, "must validate at least one schema (anyOf)"));
        }

        if (schema["oneOf"] is JsonArray oneOf && oneOf.OfType<JsonObject>().Count(s => Try(s).Count == 0) != 1)
        {
            errors.Add(FieldError.Invalid(path, value, "must validate one and only one schema (oneOf)"));
        }

        if (schema["not"] is JsonObject not && Try(not).Count == 0)
        {
            errors.Add(FieldError.Invalid(path, value, "must not validate the schema (not)"));
        }
    }

    private static string TypeOf(JsonNode node) => node switch
    {
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Number => Meta.AsInteger(v) is not null && !v.ToJsonString().Contains('.', StringComparison.Ordinal) ? "integer" : "number",
            _ => "null",
        },
        _ => "null",
    };

    private static string Render(JsonValue value) => value.ToJsonString();

    private static bool FormatMatches(string format, string text) => format switch
    {
        "int32" => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
        "int64" => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
        "ipv4" => IPAddress.TryParse(text, out var v4) && v4.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && text.Count(c => c == '.') == 3,
        "ipv6" => IPAddress.TryParse(text, out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6,
        "cidr" => IPNetwork.TryParse(text, out _),
        "uuid" => Guid.TryParseExact(text, "D", out _),
        "date" => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        "date-time" => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _) && text.Contains('T', StringComparison.OrdinalIgnoreCase),
        "byte" => IsBase64(text),
        "hostname" => Regex.IsMatch(text, @"^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)*$", RegexOptions.None, TimeSpan.FromSeconds(1)),
        "email" => Regex.IsMatch(text, @"^[^@\s]+@[^@\s]+\.[^@\s]+$", RegexOptions.None, TimeSpan.FromSeconds(1)),
        "uri" => Uri.TryCreate(text, UriKind.Absolute, out _),
        "mac" => Regex.IsMatch(text, "^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$", RegexOptions.None, TimeSpan.FromSeconds(1)),
        _ => true,
    };

    private static bool IsBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out _);
    }
}
