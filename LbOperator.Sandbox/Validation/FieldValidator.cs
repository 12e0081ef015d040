using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using LbOperator.Sandbox.Api;
using LbOperator.Sandbox.Schema;

namespace LbOperator.Sandbox.Validation;

/// <summary>
/// Finds unknown, duplicate and malformed fields in an object sent to the API server: built-in kinds are checked
/// against their KubernetesClient model type, custom resources against their CRD's OpenAPI schema.
/// </summary>
public sealed class FieldValidator(KubernetesModelCatalog catalog) : IFieldValidator
{
    private static readonly string[] ResourceRootFields = ["apiVersion", "kind", "metadata"];

    /// <summary>
    /// The API server's check of a create, update or patch body: malformed values and, in Strict mode, unknown or
    /// duplicate fields fail with 400 as in kube-apiserver; in Warn mode they come back as warnings.
    /// </summary>
    public IReadOnlyList<string> Validate(ResourceDescriptor descriptor, string rawBody, string? patchContentType, FieldValidationMode mode)
    {
        RequestBody body;
        try
        {
            body = RequestBody.Parse(rawBody);
        }
        catch (JsonException e)
        {
            throw ApiErrors.BadRequest($"error decoding JSON: {e.Message}");
        }

        var problems = patchContentType is null ? Check(body, descriptor) : CheckPatch(body, patchContentType, descriptor);
        var cannotHandle = $"{descriptor.Kind} in version \"{descriptor.Version}\" cannot be handled as a {descriptor.Kind}";
        if (problems.Malformed.Count > 0)
        {
            throw ApiErrors.BadRequest($"{cannotHandle}: {string.Join(", ", problems.Malformed)}");
        }

        if (problems.StrictError(mode) is { } strict)
        {
            throw ApiErrors.BadRequest($"{cannotHandle}: {strict}");
        }

        return [.. problems.Warnings(mode)];
    }

    /// <summary>Checks a request body, including the fields it gives twice.</summary>
    public FieldProblems Check(RequestBody body, ResourceDescriptor descriptor)
    {
        var found = body.Node is null ? FieldProblems.None : Check(body.Node, descriptor);
        var duplicates = body.DuplicateFields.Select(path => $"duplicate field \"{path}\"");
        return found with { UnknownOrDuplicate = [.. duplicates, .. found.UnknownOrDuplicate] };
    }

    /// <summary>
    /// Checks the body of a PATCH: a merge or strategic merge patch as a partial object (its <c>$</c> directives
    /// skipped), a JSON patch by the value each add/replace/test operation puts at its path.
    /// </summary>
    public FieldProblems CheckPatch(RequestBody body, string contentType, ResourceDescriptor descriptor)
    {
        if (!contentType.StartsWith("application/json-patch+json", StringComparison.Ordinal))
        {
            var found = body.Node is null ? FieldProblems.None : Check(body.Node, descriptor, isPatch: true);
            return found with { UnknownOrDuplicate = [.. body.DuplicateFields.Select(path => $"duplicate field \"{path}\""), .. found.UnknownOrDuplicate] };
        }

        var malformed = new List<string>();
        var unknown = new List<string>();
        foreach (var operation in (body.Node as JsonArray ?? []).OfType<JsonObject>())
        {
            if (operation["op"]?.GetValue<string>() is "add" or "replace" or "test"
                && operation["path"]?.GetValue<string>() is { Length: > 1 } pointer)
            {
                var found = Check(AsPartialObject(pointer, operation["value"]), descriptor, isPatch: true);
                malformed.AddRange(found.Malformed);
                unknown.AddRange(found.UnknownOrDuplicate);
            }
        }

        return new FieldProblems(malformed, unknown);
    }

    /// <summary>A JSON patch's path and value as the partial object it describes: <c>/spec/ports/0/port</c> → <c>{"spec":{"ports":[{"port":v}]}}</c>.</summary>
    private static JsonNode AsPartialObject(string pointer, JsonNode? value)
    {
        var node = value?.DeepClone();
        foreach (var token in pointer[1..].Split('/').Reverse())
        {
            var name = token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            node = name == "-" || name.All(char.IsAsciiDigit) ? new JsonArray(node) : new JsonObject { [name] = node };
        }

        return node!;
    }

    /// <summary>Checks an already parsed object (duplicates cannot be seen here).</summary>
    public FieldProblems Check(JsonNode parsed, ResourceDescriptor descriptor) => Check(parsed, descriptor, isPatch: false);

    private FieldProblems Check(JsonNode parsed, ResourceDescriptor descriptor, bool isPatch)
    {
        var walk = new Walk(catalog, isPatch);
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

    private sealed class Walk(KubernetesModelCatalog catalog, bool isPatch)
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
                        if (isPatch && name.StartsWith('$'))
                        {
                            continue;
                        }

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
                if (isPatch && name.StartsWith('$'))
                {
                    continue;
                }

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
            (ScalarKind.WholeNumber, JsonValueKind.Number) => Meta.AsInteger(value) is not null,
            (ScalarKind.Number, JsonValueKind.Number) => true,
            (ScalarKind.Text or ScalarKind.Time or ScalarKind.Bytes, JsonValueKind.String) => true,
            (ScalarKind.IntOrString, JsonValueKind.String) => true,
            (ScalarKind.IntOrString, JsonValueKind.Number) => Meta.AsInteger(value) is not null,
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
