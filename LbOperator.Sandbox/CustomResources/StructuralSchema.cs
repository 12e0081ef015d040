using System.Text.Json.Nodes;
using LbOperator.Sandbox.Api;

namespace LbOperator.Sandbox.CustomResources;

/// <summary>
/// The structural-schema rules apiextensions.k8s.io/v1 imposes on openAPIV3Schema: a type on every specified
/// node (unless int-or-string or preserve-unknown-fields), object root, items on arrays, properties and
/// additionalProperties exclusive, no types or defaults inside allOf/anyOf/oneOf/not, metadata restricted to
/// name and generateName, and the unsupported keywords refused.
/// </summary>
public static class StructuralSchema
{
    private static readonly string[] Forbidden = ["$ref", "additionalItems", "patternProperties", "dependencies", "definitions", "id", "$schema"];
    private static readonly string[] Junctors = ["allOf", "anyOf", "oneOf", "not"];
    private static readonly string[] NotInJunctors = ["type", "additionalProperties", "default", "nullable", "description"];
    private static readonly string[] Types = ["object", "array", "string", "integer", "number", "boolean"];

    public static void Check(JsonObject? schema, string path, List<FieldError> errors)
    {
        if (schema is null)
        {
            errors.Add(FieldError.Required(path, "schemas are required"));
            return;
        }

        if (Meta.AsString(schema["type"]) != "object")
        {
            errors.Add(FieldError.Invalid($"{path}.type", schema["type"]?.ToString() ?? "", "must be object at the root"));
        }

        if (schema["properties"]?["metadata"] is JsonObject metadata)
        {
            var allowed = metadata.All(kv => kv.Key is "type" or "description" || (kv.Key == "properties" && kv.Value is JsonObject p && p.All(x => x.Key is "name" or "generateName")));
            if (!allowed)
            {
                errors.Add(FieldError.Forbidden($"{path}.properties[metadata]", "must not specify anything other than name and generateName, but metadata is implicitly specified"));
            }
        }

        Node(schema, path, errors, inJunctor: false);
    }

    private static void Node(JsonObject schema, string path, List<FieldError> errors, bool inJunctor)
    {
        foreach (var keyword in Forbidden)
        {
            if (schema.ContainsKey(keyword))
            {
                errors.Add(FieldError.Forbidden($"{path}.{keyword}", $"{keyword} is not supported"));
            }
        }

        if (Meta.AsBool(schema["uniqueItems"]))
        {
            errors.Add(FieldError.Forbidden($"{path}.uniqueItems", "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"));
        }

        var type = Meta.AsString(schema["type"]);
        var intOrString = Meta.AsBool(schema["x-kubernetes-int-or-string"]);
        var preserve = Meta.AsBool(schema["x-kubernetes-preserve-unknown-fields"]);
        if (inJunctor)
        {
            foreach (var keyword in NotInJunctors)
            {
                if (schema.ContainsKey(keyword))
                {
                    errors.Add(FieldError.Forbidden($"{path}.{keyword}", "must be empty to be structural"));
                }
            }
        }
        else if (type is null && !intOrString && !preserve)
        {
            errors.Add(FieldError.Required($"{path}.type", "must not be empty for specified object fields"));
        }
        else if (type is not null && !Types.Contains(type))
        {
            errors.Add(FieldError.NotSupported($"{path}.type", schema["type"], Types));
        }

        if (intOrString && type is not null)
        {
            errors.Add(FieldError.Invalid($"{path}.type", type, "must be empty when x-kubernetes-int-or-string is true"));
        }

        if (schema["properties"] is JsonObject properties)
        {
            if (schema["additionalProperties"] is JsonObject)
            {
                errors.Add(FieldError.Forbidden($"{path}.additionalProperties", "additionalProperties and properties are mutual exclusive"));
            }

            foreach (var (name, child) in properties)
            {
                if (child is JsonObject childSchema)
                {
                    Node(childSchema, $"{path}.properties[{name}]", errors, inJunctor);
                }
            }
        }

        if (schema["additionalProperties"] is JsonObject additional)
        {
            Node(additional, $"{path}.additionalProperties", errors, inJunctor);
        }

        if (type == "array" && !inJunctor)
        {
            if (schema["items"] is JsonObject items)
            {
                Node(items, $"{path}.items", errors, inJunctor);
            }
            else
            {
                errors.Add(FieldError.Required($"{path}.items", "must be specified"));
            }
        }

        foreach (var junctor in Junctors)
        {
            switch (schema[junctor])
            {
                case JsonArray list when intOrString && IsIntOrStringPattern(junctor, list):
                    // The one place a type may appear in a junctor: anyOf [integer, string] on an int-or-string node.
                    break;
                case JsonArray list:
                    for (var i = 0; i < list.Count; i++)
                    {
                        if (list[i] is JsonObject s)
                        {
                            Node(s, $"{path}.{junctor}[{i}]", errors, inJunctor: true);
                        }
                    }

                    break;
                case JsonObject single:
                    Node(single, $"{path}.{junctor}", errors, inJunctor: true);
                    break;
            }
        }
    }

    /// <summary><c>anyOf: [{type: integer}, {type: string}]</c>, alone or wrapped in <c>allOf</c>.</summary>
    private static bool IsIntOrStringPattern(string junctor, JsonArray list) => junctor switch
    {
        "anyOf" => list.Count == 2 && list.OfType<JsonObject>().Select(s => Meta.AsString(s["type"])).Order(StringComparer.Ordinal).SequenceEqual(["integer", "string"])
            && list.OfType<JsonObject>().All(s => s.Count == 1),
        "allOf" => list.OfType<JsonObject>().Any(s => s["anyOf"] is JsonArray inner && IsIntOrStringPattern("anyOf", inner)),
        _ => false,
    };
}
