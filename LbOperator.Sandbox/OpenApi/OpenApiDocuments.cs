using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace LbOperator.Sandbox.OpenApi;

/// <summary>
/// The OpenAPI v3 documents of the sandbox: an index at <c>/openapi/v3</c> and one document per group version.
/// Every operation carries <c>x-kubernetes-group-version-kind</c> and <c>x-kubernetes-action</c> and declares the
/// <c>fieldValidation</c> query parameter, which is what makes <c>kubectl apply</c> rely on server-side validation.
/// Custom resources get their CRD's schema (so <c>kubectl explain</c> works for them); built-in kinds are described
/// as free-form objects, so that kubectl computes strategic merge patches from its compiled-in types.
/// </summary>
public static class OpenApiDocuments
{
    private const string ObjectSchema = "io.k8s.sandbox.Object";
    private const string ObjectMetaSchema = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
    private const string StatusSchema = "io.k8s.apimachinery.pkg.apis.meta.v1.Status";

    /// <summary>The URL path (no leading slash) of a group version's document: <c>api/v1</c> or <c>apis/apps/v1</c>.</summary>
    public static string PathOf(string groupVersion) => groupVersion.Contains('/', StringComparison.Ordinal) ? $"apis/{groupVersion}" : $"api/{groupVersion}";

    /// <summary><c>GET /openapi/v3</c>: each group version's document with a content hash in its URL.</summary>
    public static JsonObject Index(IReadOnlyCollection<ResourceDescriptor> descriptors)
    {
        var paths = new JsonObject();
        foreach (var groupVersion in descriptors.Select(d => d.GroupVersion).Distinct().OrderBy(PathOf, StringComparer.Ordinal))
        {
            var path = PathOf(groupVersion);
            paths[path] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{path}?hash={Hash(GroupVersion(groupVersion, descriptors))}" };
        }

        return new JsonObject { ["paths"] = paths };
    }

    /// <summary>The hash kube-apiserver puts in document URLs so that clients may cache them: SHA-512 of the document.</summary>
    public static string Hash(JsonObject document) =>
        Convert.ToHexString(SHA512.HashData(Encoding.UTF8.GetBytes(document.ToJsonString())));

    /// <summary><c>GET /openapi/v3/api/v1</c> or <c>/openapi/v3/apis/{group}/{version}</c>.</summary>
    public static JsonObject GroupVersion(string groupVersion, IEnumerable<ResourceDescriptor> descriptors)
    {
        var paths = new JsonObject();
        var schemas = new JsonObject
        {
            [ObjectSchema] = new JsonObject
            {
                ["type"] = "object",
                ["description"] = "A Kubernetes object; its fields are validated by the server (fieldValidation).",
                ["x-kubernetes-preserve-unknown-fields"] = true,
            },
            [ObjectMetaSchema] = new JsonObject
            {
                ["type"] = "object",
                ["description"] = "Standard object metadata: name, namespace, labels, annotations, ...",
                ["x-kubernetes-preserve-unknown-fields"] = true,
            },
            [StatusSchema] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true },
        };

        foreach (var descriptor in descriptors.Where(d => d.GroupVersion == groupVersion).OrderBy(d => d.Plural, StringComparer.Ordinal))
        {
            var schemaName = ObjectSchema;
            if (descriptor.Schema is { } crdSchema)
            {
                schemaName = SchemaName(descriptor);
                schemas[schemaName] = CustomResourceSchema(descriptor, crdSchema);
            }

            AddPaths(paths, descriptor, schemaName);
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = Discovery.DiscoveryDocuments.GitVersion },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    private static string SchemaName(ResourceDescriptor d) =>
        string.Join('.', d.Group.Split('.').Reverse()) + $".{d.Version}.{d.Kind}";

    private static JsonObject CustomResourceSchema(ResourceDescriptor d, JsonObject crdSchema)
    {
        var schema = (JsonObject)crdSchema.DeepClone();
        var properties = schema["properties"] as JsonObject ?? [];
        schema["properties"] = properties;
        properties["apiVersion"] ??= new JsonObject { ["type"] = "string", ["description"] = "APIVersion defines the versioned schema of this representation of an object." };
        properties["kind"] ??= new JsonObject { ["type"] = "string", ["description"] = "Kind is a string value representing the REST resource this object represents." };
        properties["metadata"] = new JsonObject
        {
            ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = $"#/components/schemas/{ObjectMetaSchema}" }),
            ["description"] = "Standard object's metadata.",
        };
        schema["x-kubernetes-group-version-kind"] = new JsonArray(Gvk(d));
        return schema;
    }

    private static void AddPaths(JsonObject paths, ResourceDescriptor d, string schemaName)
    {
        var prefix = d.Group.Length == 0 ? "/api/v1" : $"/apis/{d.GroupVersion}";
        var collection = d.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{d.Plural}" : $"{prefix}/{d.Plural}";
        var item = $"{collection}/{{name}}";
        var has = d.Verbs.ToHashSet(StringComparer.Ordinal);

        var collectionOps = new JsonObject();
        if (has.Contains("list"))
        {
            collectionOps["get"] = Operation(d, "list", schemaName, $"list {d.Kind}", write: false);
        }

        if (has.Contains("create"))
        {
            collectionOps["post"] = Operation(d, "post", schemaName, $"create a {d.Kind}", write: true);
        }

        if (has.Contains("deletecollection"))
        {
            collectionOps["delete"] = Operation(d, "deletecollection", StatusSchema, $"delete a collection of {d.Kind}", write: false);
        }

        Add(paths, collection, collectionOps, d.Namespaced ? [PathParameter("namespace")] : []);

        var itemOps = new JsonObject();
        if (has.Contains("get"))
        {
            itemOps["get"] = Operation(d, "get", schemaName, $"read the specified {d.Kind}", write: false);
        }

        if (has.Contains("update"))
        {
            itemOps["put"] = Operation(d, "put", schemaName, $"replace the specified {d.Kind}", write: true);
        }

        if (has.Contains("patch"))
        {
            itemOps["patch"] = Operation(d, "patch", schemaName, $"partially update the specified {d.Kind}", write: true);
        }

        if (has.Contains("delete"))
        {
            itemOps["delete"] = Operation(d, "delete", StatusSchema, $"delete a {d.Kind}", write: false);
        }

        JsonNode[] itemParameters = d.Namespaced ? [PathParameter("name"), PathParameter("namespace")] : [PathParameter("name")];
        Add(paths, item, itemOps, itemParameters);

        if (d.HasStatusSubresource)
        {
            var statusOps = new JsonObject
            {
                ["get"] = Operation(d, "get", schemaName, $"read status of the specified {d.Kind}", write: false),
                ["put"] = Operation(d, "put", schemaName, $"replace status of the specified {d.Kind}", write: true),
                ["patch"] = Operation(d, "patch", schemaName, $"partially update status of the specified {d.Kind}", write: true),
            };
            JsonNode[] statusParameters = d.Namespaced ? [PathParameter("name"), PathParameter("namespace")] : [PathParameter("name")];
            Add(paths, $"{item}/status", statusOps, statusParameters);
        }

        if (d.Namespaced && has.Contains("list"))
        {
            Add(paths, $"{prefix}/{d.Plural}", new JsonObject
            {
                ["get"] = Operation(d, "list", schemaName, $"list {d.Kind} in all namespaces", write: false),
            }, []);
        }
    }

    private static void Add(JsonObject paths, string path, JsonObject operations, JsonNode[] parameters)
    {
        if (operations.Count == 0)
        {
            return;
        }

        if (parameters.Length > 0)
        {
            operations["parameters"] = new JsonArray(parameters);
        }

        paths[path] = operations;
    }

    private static JsonObject Operation(ResourceDescriptor d, string action, string schemaName, string description, bool write)
    {
        var parameters = new JsonArray();
        if (write)
        {
            parameters.Add(QueryParameter("dryRun", "When present, indicates that modifications should not be persisted."));
            parameters.Add(QueryParameter("fieldManager", "A name associated with the actor or entity that is making these changes."));
            parameters.Add(QueryParameter("fieldValidation",
                "How the server handles unknown or duplicate fields in the request: Ignore, Warn (the default) or Strict."));
        }

        if (action == "patch")
        {
            parameters.Add(new JsonObject
            {
                ["name"] = "force",
                ["in"] = "query",
                ["description"] = "Force is going to \"force\" Apply requests.",
                ["schema"] = new JsonObject { ["type"] = "boolean", ["uniqueItems"] = true },
            });
        }

        var operation = new JsonObject
        {
            ["description"] = description,
            ["operationId"] = $"{action}{d.Kind}",
            ["tags"] = new JsonArray(d.Group.Length == 0 ? "core_v1" : $"{d.Group}_{d.Version}"),
            ["parameters"] = parameters,
            ["responses"] = new JsonObject
            {
                ["200"] = new JsonObject
                {
                    ["description"] = "OK",
                    ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Ref(schemaName) } },
                },
            },
            ["x-kubernetes-action"] = action,
            ["x-kubernetes-group-version-kind"] = Gvk(d),
        };

        if (write)
        {
            // kubectl computes a strategic merge patch only for kinds whose patch operation accepts one; custom
            // resources, like in kube-apiserver, take JSON merge patches.
            var mediaTypes = (action, d.IsCustom) switch
            {
                ("patch", true) => (string[])["application/json-patch+json", "application/merge-patch+json"],
                ("patch", false) => ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json"],
                _ => ["application/json"],
            };
            var content = new JsonObject();
            foreach (var mediaType in mediaTypes)
            {
                content[mediaType] = new JsonObject { ["schema"] = Ref(action == "patch" ? ObjectSchema : schemaName) };
            }

            operation["requestBody"] = new JsonObject { ["content"] = content, ["required"] = true };
        }

        return operation;
    }

    private static JsonObject Gvk(ResourceDescriptor d) => new() { ["group"] = d.Group, ["kind"] = d.Kind, ["version"] = d.Version };

    private static JsonObject Ref(string schemaName) => new() { ["$ref"] = $"#/components/schemas/{schemaName}" };

    private static JsonObject PathParameter(string name) => new()
    {
        ["name"] = name,
        ["in"] = "path",
        ["required"] = true,
        ["description"] = $"{name} of the object",
        ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
    };

    private static JsonObject QueryParameter(string name, string description) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["description"] = description,
        ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
    };
}
