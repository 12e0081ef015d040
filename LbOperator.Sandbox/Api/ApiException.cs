using System.Text.Json.Nodes;

namespace LbOperator.Sandbox.Api;

/// <summary>
/// A request that fails with a metav1.Status: thrown anywhere below the HTTP layer, written as the response body
/// (or as an ERROR event inside a watch stream).
/// </summary>
public sealed class ApiException(int code, string reason, string message, JsonObject? details = null, JsonObject? listMeta = null) : Exception(message)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;

    public JsonObject? Details { get; } = details;

    public JsonObject ToStatus()
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = listMeta?.DeepClone() ?? new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
            ["reason"] = Reason,
        };
        if (Details is not null)
        {
            status["details"] = Details.DeepClone();
        }

        status["code"] = Code;
        return status;
    }
}

/// <summary>The errors kube-apiserver answers with, worded as it words them.</summary>
public static class ApiErrors
{
    /// <summary><c>services</c> or <c>deployments.apps</c>: how messages name a resource.</summary>
    public static string GroupResource(ResourceDescriptor d) => d.Group.Length == 0 ? d.Plural : $"{d.Plural}.{d.Group}";

    /// <summary><c>Service</c> or <c>Deployment.apps</c>: how Invalid messages name a kind.</summary>
    public static string GroupKind(ResourceDescriptor d) => d.Group.Length == 0 ? d.Kind : $"{d.Kind}.{d.Group}";

    public static ApiException NotFound(ResourceDescriptor d, string name) =>
        new(404, "NotFound", $"{GroupResource(d)} \"{name}\" not found", Details(name, d.Group, d.Plural));

    public static ApiException NotFound(string groupResource, string group, string plural, string name) =>
        new(404, "NotFound", $"{groupResource} \"{name}\" not found", Details(name, group, plural));

    public static ApiException AlreadyExists(ResourceDescriptor d, string name) =>
        new(409, "AlreadyExists", $"{GroupResource(d)} \"{name}\" already exists", Details(name, d.Group, d.Plural));

    public static ApiException Conflict(ResourceDescriptor d, string name, string why) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {GroupResource(d)} \"{name}\": {why}", Details(name, d.Group, d.Plural));

    public static ApiException StaleResourceVersion(ResourceDescriptor d, string name) =>
        Conflict(d, name, "the object has been modified; please apply your changes to the latest version and try again");

    public static ApiException Invalid(ResourceDescriptor d, string name, IReadOnlyList<FieldError> errors)
    {
        var joined = errors.Count == 1 ? errors[0].ToString() : $"[{string.Join(", ", errors)}]";
        var details = Details(name, d.Group, d.Kind);
        details["causes"] = new JsonArray([.. errors.Select(e => (JsonNode)new JsonObject
        {
            ["reason"] = e.Reason,
            ["message"] = e.CauseMessage,
            ["field"] = e.Field,
        })]);
        return new ApiException(422, "Invalid", $"{GroupKind(d)} \"{name}\" is invalid: {joined}", details);
    }

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException Forbidden(ResourceDescriptor d, string name, string why) =>
        new(403, "Forbidden", $"{GroupResource(d)} \"{name}\" is forbidden: {why}", Details(name, d.Group, d.Plural));

    public static ApiException MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message);

    public static ApiException Gone(string message) => new(410, "Expired", message);

    /// <summary>
    /// 410 for a continue token older than the history, carrying (in the Status' <c>metadata.continue</c>) a token
    /// that continues the list at the latest revision, as kube-apiserver's etcd store answers.
    /// </summary>
    public static ApiException GoneWithContinue(string message, string continueToken) =>
        new(410, "Expired", message, listMeta: new JsonObject { ["continue"] = continueToken });

    /// <summary>A create or update body kube-apiserver cannot decode into its type (bad base64, a malformed MicroTime).</summary>
    public static ApiException CannotDecode(ResourceDescriptor d, string problem) =>
        BadRequest($"{d.Kind} in version \"{d.Version}\" cannot be handled as a {d.Kind}: {problem}");

    /// <summary>A patch whose result cannot be decoded: 422 on field <c>patch</c>, with no kind or name (as kube-apiserver answers).</summary>
    public static ApiException InvalidPatch(string patchedObject, string problem)
    {
        var error = FieldError.Invalid("patch", patchedObject, problem);
        var details = new JsonObject
        {
            ["causes"] = new JsonArray(new JsonObject { ["reason"] = error.Reason, ["message"] = error.CauseMessage, ["field"] = error.Field }),
        };
        return new ApiException(422, "Invalid", $" \"\" is invalid: {error}", details);
    }

    /// <summary>A create or update body that is not JSON (kubectl's generators, e.g. <c>kubectl create namespace</c>, send protobuf).</summary>
    public static ApiException UnsupportedBodyType(string contentType) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - the sandbox accepts only application/json (got {contentType}); for kubectl create <kind> NAME use kubectl create <kind> NAME --dry-run=client -o yaml | kubectl apply -f -");

    public static ApiException UnsupportedMediaType(string contentType) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (got {contentType})");

    public static ApiException NotAcceptable(string message) => new(406, "NotAcceptable", message);

    public static ApiException Internal(string message) =>
        new(500, "InternalError", $"Internal error occurred: {message}", new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["message"] = message }) });

    public static ApiException Timeout(string message) => new(504, "Timeout", message);

    public static ApiException PathNotFound() => new(404, "NotFound", "the server could not find the requested resource", new JsonObject());

    private static JsonObject Details(string name, string group, string kind)
    {
        var details = new JsonObject();
        if (name.Length > 0)
        {
            details["name"] = name;
        }

        if (group.Length > 0)
        {
            details["group"] = group;
        }

        details["kind"] = kind;
        return details;
    }
}
