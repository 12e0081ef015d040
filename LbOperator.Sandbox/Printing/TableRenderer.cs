using System.Text.Json.Nodes;
using LbOperator.Sandbox.Api;
using Microsoft.AspNetCore.Http;

namespace LbOperator.Sandbox.Printing;

/// <summary>
/// Answers get, list and watch requests that accept <c>application/json;as=Table;v=v1;g=meta.k8s.io</c> with a Table,
/// which is what <c>kubectl get</c> prints.
/// </summary>
public sealed class TableRenderer(Func<HttpContext, TimeProvider> clockOf) : IResponseRenderer
{
    public JsonObject? Render(HttpRequest request, ResourceDescriptor descriptor, JsonObject body)
    {
        if (TableNegotiation.RequestedTableVersion(request.Headers.Accept.ToString()) is not { } tableVersion)
        {
            return null;
        }

        IncludeObject include;
        try
        {
            include = TableBuilder.ParseIncludeObject(request.Query["includeObject"]);
        }
        catch (ArgumentException e)
        {
            throw ApiErrors.BadRequest(e.Message);
        }

        var now = clockOf(request.HttpContext).GetUtcNow();
        var isList = body["items"] is JsonArray && (body["kind"]?.GetValue<string>()?.EndsWith("List", StringComparison.Ordinal) ?? false);
        return isList
            ? TableBuilder.Build(descriptor, body["items"]!.AsArray().OfType<JsonObject>(), now, include, tableVersion, body["metadata"] as JsonObject)
            : TableBuilder.Build(descriptor, [body], now, include, tableVersion,
                new JsonObject { ["resourceVersion"] = body["metadata"]?["resourceVersion"]?.DeepClone() });
    }
}
