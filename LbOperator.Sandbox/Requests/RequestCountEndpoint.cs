using System.Text.Json;
using LbOperator.Sandbox.Api;
using Microsoft.AspNetCore.Http;

namespace LbOperator.Sandbox.Requests;

/// <summary>
/// <c>/sandbox/requests</c>: GET answers the API requests counted so far, DELETE answers them and sets every count
/// back to zero. The answer: <c>{"total": 12, "requests": [{"userAgent": "lb-bench", "verb": "create",
/// "resource": "services", "code": 201, "count": 10}, …]}</c>.
/// </summary>
public sealed class RequestCountEndpoint(RequestCounter counter) : ISandboxEndpoint
{
    public const string Path = "/sandbox/requests";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<bool> TryHandleAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (context.Request.Path.Value?.TrimEnd('/') != Path)
        {
            return false;
        }

        var rows = context.Request.Method switch
        {
            "GET" => counter.Snapshot(),
            "DELETE" => counter.Reset(),
            _ => throw ApiErrors.MethodNotAllowed("GET or DELETE"),
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new RequestCounts(rows.Sum(r => r.Count), rows), Json), cancellationToken);
        return true;
    }

    private sealed record RequestCounts(long Total, IReadOnlyList<RequestCount> Requests);
}
