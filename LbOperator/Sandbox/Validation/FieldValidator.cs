using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using LbOperator.Sandbox.Schema;

namespace LbOperator.Sandbox.Validation;

/// <summary>
/// Finds unknown, duplicate and malformed fields in an object sent to the API server: built-in kinds are checked
/// against their KubernetesClient model type, custom resources against their CRD's OpenAPI schema.
/// </summary>
public sealed class FieldValidator(KubernetesModelCatalog catalog)
{
    private static readonly string[] ResourceRootFields = ["apiVersion", "kind", "metadata"];

    /// <summary>Checks a request body, including the fields it gives twice.</summary>
    public FieldProblems Check(RequestBody body, ResourceDescriptor descriptor)
    {
        var found = body.Node is null ? FieldProblems.None : Check(body.Node, descriptor);
        var duplicates = body.DuplicateFields.Select(path => $"duplicate field \"{path}\"");
        return found with { UnknownOrDuplicate = [.. duplicates, .. found.UnknownOrDuplicate] };
    }

    /// <summary>Checks an already parsed object (duplicates cannot be seen here).</summary>
    public FieldProblems Check(JsonNode parsed, ResourceDescriptor descriptor)
    {
        var walk = new Walk(catalog);
        if (catalog.ModelTypeFor(descriptor) is { } modelType)
        {
            walk.Model(parsed, new ObjectShape(modelType), "");
        }
        else if (descriptor.Schema is { } schema)
        {
            walk.Schema(parsed, schema, "", isResourceRoot: true);
        }

        return new FieldProblems(walk.Malformed, walk.Unknown);
    }

    private sealed class Walk(KubernetesModelCatalog catalog)
    {
        public List<string> Unknown { get; } = [];

        public List<string> Malformed { get; } = [];

        public void Model(JsonNode? value, ValueShape shape, string path)
        {
            if (value is null)
            {
                return;
            }

            switch (shape)
            {
                case ObjectShape objectShape when value is JsonObject obj:
                    var fields = catalog.Shape(objectShape.ModelType).Fields;
                    foreach (var (name, child) in obj)
                    {
                        if (fields.TryGetValue(name, out var field))
                        {
                            Model(child, field.Value, Join(path, name));
                        }
                        else
                        {
                            Unknown.Add($"unknown field \"{Join(path, name)}\"");
                        }
                    }

                    break;
                case ListShape list when value is JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        Model(array[i], list.Item, $"{path}[{i}]");
                    }

                    break;
                case MapShape map when value is JsonObject obj:
                    foreach (var (name, child) in obj)
                    {
                        Model(child, map.Value, Join(path, name));
                    }

                    break;
                case ScalarShape scalar when value is JsonValue jsonValue && Fits(jsonValue, scalar.Kind):
                case AnyShape:
                    break;
                default:
                    Malformed.Add($"cannot unmarshal {Describe(value)} into field {path} of type {Describe(shape)}");
                    break;
            }
        }

        public void Schema(JsonNode? value, JsonObject schema, string path, bool isResourceRoot = false)
        {
            if (value is JsonArray array && schema["items"] is JsonObject items)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    Schema(array[i], items, $"{path}[{i}]");
                }

                return;
            }

            if (value is not JsonObject obj)
            {
                return;
            }

            var embedded = isResourceRoot || schema["x-kubernetes-embedded-resource"]?.GetValue<bool>() == true;
            var preserveUnknown = schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
            var properties = schema["properties"] as JsonObject;
            var additional = schema["additionalProperties"];
            foreach (var (name, child) in obj)
            {
                var childPath = Join(path, name);
                if (embedded && ResourceRootFields.Contains(name))
                {
                    if (name == "metadata")
                    {
                        Model(child, new ObjectShape(typeof(V1ObjectMeta)), childPath);
                    }
                }
                else if (properties?[name] is JsonObject property)
                {
                    Schema(child, property, childPath);
                }
                else if (additional is JsonObject additionalSchema)
                {
                    Schema(child, additionalSchema, childPath);
                }
                else if (!preserveUnknown && additional?.GetValueKind() != JsonValueKind.True)
                {
                    Unknown.Add($"unknown field \"{childPath}\"");
                }
            }
        }

        private static bool Fits(JsonValue value, ScalarKind kind) => (kind, value.GetValueKind()) switch
        {
            (ScalarKind.Boolean, JsonValueKind.True or JsonValueKind.False) => true,
            (ScalarKind.WholeNumber, JsonValueKind.Number) => value.TryGetValue<long>(out _),
            (ScalarKind.Number, JsonValueKind.Number) => true,
            (ScalarKind.Text or ScalarKind.Time or ScalarKind.Bytes, JsonValueKind.String) => true,
            (ScalarKind.IntOrString, JsonValueKind.String) => true,
            (ScalarKind.IntOrString, JsonValueKind.Number) => value.TryGetValue<long>(out _),
            (ScalarKind.Quantity, JsonValueKind.String or JsonValueKind.Number) => true,
            _ => false,
        };

        private static string Describe(JsonNode value) => value.GetValueKind() switch
        {
            JsonValueKind.Object => "object",
            JsonValueKind.Array => "array",
            JsonValueKind.String => "string",
            JsonValueKind.Number => "number",
            _ => "bool",
        };

        private static string Describe(ValueShape shape) => shape switch
        {
            ObjectShape => "object",
            ListShape => "array",
            MapShape => "map",
            ScalarShape { Kind: ScalarKind.IntOrString } => "int or string",
            ScalarShape { Kind: ScalarKind.Time } => "time (string)",
            ScalarShape { Kind: ScalarKind.Bytes } => "base64 string",
            ScalarShape { Kind: ScalarKind.Quantity } => "quantity",
            ScalarShape { Kind: ScalarKind.WholeNumber } => "integer",
            ScalarShape { Kind: ScalarKind.Number } => "number",
            ScalarShape { Kind: ScalarKind.Boolean } => "boolean",
            ScalarShape => "string",
            _ => "any",
        };
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
}
