using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using LbOperator.Sandbox.Faults;
using LbOperator.Sandbox.Requests;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LbOperator.Sandbox.Api;

/// <summary>
/// The HTTP face of <see cref="ResourceService"/>: routes a request to a verb, decodes query parameters and bodies,
/// applies injected faults, writes JSON answers, watch streams and metav1.Status errors, and counts every resource
/// request in <paramref name="requests"/>.
/// </summary>
public sealed class ApiHandler(
    ResourceService service,
    SandboxFaults faults,
    RequestCounter requests,
    SandboxExtensions extensions,
    TimeSpan bookmarkInterval,
    ILogger logger)
{
    /// <summary>The HttpContext item that holds the error to answer instead of a write's result.</summary>
    private const string LostAnswer = "lboperator.sandbox.lost-answer";

    public async Task HandleAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        ApiRequest? request = null;
        string? verb = null;
        try
        {
            foreach (var endpoint in extensions.Endpoints)
            {
                if (await endpoint.TryHandleAsync(context, cancellationToken))
                {
                    return;
                }
            }

            request = ApiRequest.Parse(context.Request.Path.Value ?? "", service.Registry) ?? throw ApiErrors.PathNotFound();
            verb = VerbOf(context.Request, request);
            await ServeAsync(context, request, verb, cancellationToken);
        }
        catch (ApiException e)
        {
            await WriteErrorAsync(context, e);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
#pragma warning disable CA1031 // Any bug below must answer 500 as kube-apiserver does, not kill the connection.
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogError(e, "Unhandled error serving {Method} {Path}", context.Request.Method, context.Request.Path);
            await WriteErrorAsync(context, ApiErrors.Internal(e.Message));
        }
        finally
        {
            // A watch whose stream opened was counted then (it may stay open for the whole run); everything else
            // is counted here, with the code it was answered with.
            if (request is not null && verb is not null && !(verb == "watch" && context.Response.HasStarted))
            {
                Count(context, request, verb);
            }
        }
    }

    private void Count(HttpContext context, ApiRequest request, string verb) =>
        requests.Record(context.Request.Headers.UserAgent.ToString(), verb, request.Descriptor.Plural, request.Subresource, context.Response.StatusCode);

    /// <summary>The Kubernetes verb of a request, or null for a method the API has no verb for.</summary>
    private static string? VerbOf(HttpRequest http, ApiRequest request)
    {
        var isWatch = request.LegacyWatch || IsTrue(http.Query["watch"]);
        return (http.Method, request.Name) switch
        {
            ("GET", null) => isWatch ? "watch" : "list",
            ("GET", _) => isWatch ? "watch" : "get",
            ("POST", null) => "create",
            ("POST", not null) when request.Subresource == "eviction" => "create",
            ("PUT", not null) => "update",
            ("PATCH", not null) => "patch",
            ("DELETE", null) => "deletecollection",
            ("DELETE", not null) => "delete",
            _ => null,
        };
    }

    private async Task ServeAsync(HttpContext context, ApiRequest request, string? verb, CancellationToken cancellationToken)
    {
        var d = request.Descriptor;
        var query = context.Request.Query;
        if (request.Subresource.Length > 0 && !IsKnownSubresource(request))
        {
            throw ApiErrors.PathNotFound();
        }

        if (verb is null)
        {
            throw ApiErrors.MethodNotAllowed($"the server does not allow this method on the requested resource");
        }

        if (!d.Verbs.Contains(verb) && verb != "get")
        {
            throw ApiErrors.MethodNotAllowed($"the server does not allow this method on the requested resource");
        }

        if (await faults.BeforeRequestAsync(d, verb, request.Name ?? "", request.Subresource, cancellationToken) is { } lostAnswer)
        {
            context.Items[LostAnswer] = lostAnswer;
        }

        var write = new WriteOptions(IsDryRun(query["dryRun"]), query["fieldManager"]);
        if (request.Subresource == "eviction")
        {
            if (verb != "create")
            {
                throw ApiErrors.MethodNotAllowed("the server does not allow this method on the requested resource");
            }

            var (eviction, _) = await ReadObjectAsync(context, cancellationToken);
            await WriteAsync(context, 201, EvictionSubresource.Evict(service, request.Namespace!, request.Name!, eviction, write.DryRun));
            return;
        }

        if (request.Subresource == "scale")
        {
            await ServeScaleAsync(context, request, verb, write, cancellationToken);
            return;
        }

        switch (verb)
        {
            case "watch":
                await WatchAsync(context, request, cancellationToken);
                return;
            case "list":
                await WriteAsync(context, 200, Render(context, d, service.List(d, request.Namespace, ListOptionsFrom(query))));
                return;
            case "get":
                await WriteAsync(context, 200, Render(context, d, service.Get(d, request.Namespace, request.Name!)));
                return;
            case "create":
                {
                    var (body, raw) = await ReadObjectAsync(context, cancellationToken);
                    ValidateFields(context, d, raw, null);
                    await WriteAsync(context, 201, service.Create(d, request.Namespace, body, write));
                    return;
                }

            case "update":
                {
                    var (body, raw) = await ReadObjectAsync(context, cancellationToken);
                    ValidateFields(context, d, raw, null);
                    var updated = request.Subresource == "finalize"
                        ? FinalizeNamespace(request, body, write)
                        : service.Update(d, request.Namespace, request.Name!, body, request.Subresource, write);
                    await WriteAsync(context, 200, updated);
                    return;
                }

            case "patch":
                {
                    var contentType = (context.Request.ContentType ?? "").Split(';')[0].Trim();
                    service.CheckPatchType(d, contentType);
                    var raw = await ReadBodyAsync(context, cancellationToken);
                    ValidateFields(context, d, raw, contentType);
                    await WriteAsync(context, 200, service.Patch(d, request.Namespace, request.Name!, contentType, raw, request.Subresource, write));
                    return;
                }

            case "delete":
                {
                    var options = await DeleteOptionsFromAsync(context, cancellationToken);
                    var result = service.Delete(d, request.Namespace, request.Name!, options);

                    // kube-apiserver answers 202 only for an object left in place whose client asked for
                    // orphanDependents=false; pending finalizers, graceful pod deletion and namespaces answer 200.
                    await WriteAsync(context, !result.Deleted && options.OrphanDependents == false ? 202 : 200, result.Body);
                    return;
                }

            default:
                {
                    var options = await DeleteOptionsFromAsync(context, cancellationToken);
                    await WriteAsync(context, 200, service.DeleteCollection(d, request.Namespace, ListOptionsFrom(query), options));
                    return;
                }
        }
    }

    private async Task ServeScaleAsync(HttpContext context, ApiRequest request, string verb, WriteOptions write, CancellationToken cancellationToken)
    {
        var d = request.Descriptor;
        JsonObject target;
        switch (verb)
        {
            case "get":
                target = service.Get(d, request.Namespace, request.Name!);
                break;
            case "update":
                {
                    var (body, _) = await ReadObjectAsync(context, cancellationToken);
                    target = ScaleSubresource.Apply(service, d, request.Namespace, request.Name!, body, write);
                    break;
                }

            case "patch":
                {
                    var contentType = (context.Request.ContentType ?? "").Split(';')[0].Trim();
                    if (contentType is not ("application/merge-patch+json" or "application/strategic-merge-patch+json" or "application/json-patch+json"))
                    {
                        throw ApiErrors.UnsupportedMediaType(contentType);
                    }

                    var raw = await ReadBodyAsync(context, cancellationToken);
                    var current = ScaleSubresource.ToScale(service.Get(d, request.Namespace, request.Name!));
                    var patched = contentType == "application/json-patch+json"
                        ? JsonPatch.Apply(current, ResourceService.ParseJson(raw) as JsonArray ?? throw ApiErrors.BadRequest("a JSON patch must be a JSON array of operations"))
                        : MergePatch.Apply(current, ResourceService.ParseJson(raw)) as JsonObject;
                    target = ScaleSubresource.Apply(service, d, request.Namespace, request.Name!, patched ?? throw ApiErrors.BadRequest("a merge patch must be a JSON object"), write);
                    break;
                }

            default:
                throw ApiErrors.MethodNotAllowed("the server does not allow this method on the requested resource");
        }

        await WriteAsync(context, 200, ScaleSubresource.ToScale(target));
    }

    private JsonObject FinalizeNamespace(ApiRequest request, JsonObject body, WriteOptions write) =>
        service.Patch(request.Descriptor, null, request.Name!, "application/merge-patch+json",
            new JsonObject { ["spec"] = new JsonObject { ["finalizers"] = body["spec"]?["finalizers"]?.DeepClone() ?? new JsonArray() } }.ToJsonString(),
            "finalize", write);

    private static bool IsKnownSubresource(ApiRequest request) => request.Subresource switch
    {
        "status" => request.Descriptor.HasStatusSubresource,
        "finalize" => request.Descriptor.Plural == "namespaces" && request.Descriptor.Group.Length == 0,
        "scale" => ScaleSubresource.Supports(request.Descriptor),
        "eviction" => EvictionSubresource.Supports(request.Descriptor),
        _ => false,
    };

    private async Task WatchAsync(HttpContext context, ApiRequest request, CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        var fieldSelector = (string?)query["fieldSelector"];
        if (request.Name is not null)
        {
            fieldSelector = string.IsNullOrEmpty(fieldSelector) ? $"metadata.name={request.Name}" : $"{fieldSelector},metadata.name={request.Name}";
        }

        var timeout = long.TryParse(query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromMinutes(30 + Random.Shared.Next(30));
        var options = new WatchOptions(
            query["labelSelector"], fieldSelector, query["resourceVersion"], IsTrue(query["allowWatchBookmarks"]), timeout,
            query.ContainsKey("sendInitialEvents") ? IsTrue(query["sendInitialEvents"]) : null);

        using var session = faults.ShouldExpireWatch()
            ? null
            : service.Watch(request.Descriptor, request.Namespace, options);
        using var stream = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stream.CancelAfter(timeout);
        using var tracked = faults.TrackWatch(stream);

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync(cancellationToken);
        Count(context, request, "watch");
        // Send the headers now: clients (kubectl wait among them) treat the watch as open only once they have them,
        // and a quiet watch may have nothing to write until the next bookmark.
        await context.Response.Body.FlushAsync(cancellationToken);
        if (session is null)
        {
            var expired = ApiErrors.Gone($"too old resource version: {options.ResourceVersion} ({service.Store.CurrentResourceVersion})");
            await WriteLineAsync(context, new JsonObject { ["type"] = "ERROR", ["object"] = expired.ToStatus() }, cancellationToken);
            return;
        }

        try
        {
            await foreach (var e in session.ReadAsync(options.AllowBookmarks ? bookmarkInterval : null, options.SendInitialEvents == true, stream.Token))
            {
                var line = e["type"]?.GetValue<string>() is "ADDED" or "MODIFIED" or "DELETED"
                    && e["object"] is JsonObject changed
                    && extensions.Renderer?.Render(context.Request, request.Descriptor, changed) is { } rendered
                        ? new JsonObject { ["type"] = e["type"]!.DeepClone(), ["object"] = rendered }
                        : e;
                await WriteLineAsync(context, line, stream.Token);
            }
        }
        catch (OperationCanceledException) when (stream.IsCancellationRequested)
        {
            // Timeout, a dropped stream or a client that went away: the response just ends.
        }
    }

    private static async Task WriteLineAsync(HttpContext context, JsonObject e, CancellationToken cancellationToken)
    {
        await context.Response.WriteAsync(e.ToJsonString() + "\n", cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
    }

    private JsonObject Render(HttpContext context, ResourceDescriptor d, JsonObject body) =>
        extensions.Renderer?.Render(context.Request, d, body) ?? body;

    private void ValidateFields(HttpContext context, ResourceDescriptor d, string raw, string? patchContentType)
    {
        if (extensions.FieldValidator is not { } validator)
        {
            return;
        }

        var mode = (string?)context.Request.Query["fieldValidation"] switch
        {
            "Strict" => FieldValidationMode.Strict,
            "Ignore" => FieldValidationMode.Ignore,
            null or "" or "Warn" => FieldValidationMode.Warn,
            var other => throw ApiErrors.BadRequest($"fieldValidation parameter unsupported: {other}"),
        };
        foreach (var warning in validator.Validate(d, raw, patchContentType, mode))
        {
            context.Response.Headers.Append("Warning", $"299 - \"{warning.Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        }
    }

    private static ListOptions ListOptionsFrom(IQueryCollection query) => new(
        query["labelSelector"],
        query["fieldSelector"],
        int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit > 0 ? limit : null,
        query["continue"],
        query["resourceVersion"],
        query["resourceVersionMatch"]);

    private static async Task<DeleteOptions> DeleteOptionsFromAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        var raw = await ReadBodyAsync(context, cancellationToken);
        var body = string.IsNullOrWhiteSpace(raw) ? null : ResourceService.ParseJson(raw) as JsonObject;
        var policyText = Meta.AsString(body?["propagationPolicy"]) ?? (string?)query["propagationPolicy"];
        PropagationPolicy? policy = policyText switch
        {
            null or "" => null,
            "Background" => PropagationPolicy.Background,
            "Foreground" => PropagationPolicy.Foreground,
            "Orphan" => PropagationPolicy.Orphan,
            _ => throw ApiErrors.BadRequest($"DeleteOptions.propagationPolicy: Unsupported value: \"{policyText}\": supported values: \"Foreground\", \"Background\", \"Orphan\""),
        };
        var orphan = body?["orphanDependents"] is { } o ? Meta.AsBool(o) : query.ContainsKey("orphanDependents") ? IsTrue(query["orphanDependents"]) : (bool?)null;
        if (policy is null && orphan is { } orphanDependents)
        {
            policy = orphanDependents ? PropagationPolicy.Orphan : PropagationPolicy.Background;
        }

        var grace = Meta.AsInteger(body?["gracePeriodSeconds"])
            ?? (long.TryParse(query["gracePeriodSeconds"], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var g) ? g : null);
        var dryRun = body?["dryRun"] is JsonArray a ? a.Any(x => x?.ToString() == "All") : IsDryRun(query["dryRun"]);
        return new DeleteOptions(policy, Meta.AsString(body?["preconditions"]?["uid"]), Meta.AsString(body?["preconditions"]?["resourceVersion"]), grace, dryRun, orphan);
    }

    private static async Task<(JsonObject Body, string Raw)> ReadObjectAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var contentType = (context.Request.ContentType ?? "application/json").Split(';')[0].Trim();
        if (contentType is not ("application/json" or "*/*" or ""))
        {
            throw ApiErrors.UnsupportedBodyType(contentType);
        }

        var raw = await ReadBodyAsync(context, cancellationToken);
        return (ResourceService.ParseJson(raw) as JsonObject ?? throw ApiErrors.BadRequest("the request body must be a JSON object"), raw);
    }

    private static async Task<string> ReadBodyAsync(HttpContext context, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    private static bool IsTrue(string? value) => value is "true" or "1" or "True";

    private static bool IsDryRun(string? value) => value == "All";

    private static async Task WriteAsync(HttpContext context, int code, JsonObject body)
    {
        // A fault that applies the write but loses its answer (see SandboxFaults).
        if (code < 300 && context.Items.TryGetValue(LostAnswer, out var lost) && lost is ApiException error)
        {
            await WriteErrorAsync(context, error);
            return;
        }

        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    /// <summary>Writes a served document (discovery, OpenAPI) as 200 JSON, or 404 NotFound when there is none.</summary>
    public static Task WriteDocumentAsync(HttpContext context, JsonObject? document) =>
        document is null ? WriteErrorAsync(context, ApiErrors.PathNotFound()) : WriteAsync(context, 200, document);

    public static async Task WriteErrorAsync(HttpContext context, ApiException e)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        await WriteAsync(context, e.Code, e.ToStatus());
    }
}
