using System.Text.Json;
using System.Text.Json.Nodes;
using LbOperator.Sandbox.Api;
using Microsoft.AspNetCore.Http;

namespace LbOperator.Sandbox.Faults;

/// <summary>
/// <c>/sandbox/faults</c>: GET shows the faults and counters, POST adds faults, DELETE removes them all.
/// POST body (every member optional):
/// <c>{"dropWatches": true, "dropWatchesEverySeconds": 5, "expireWatches": true,
///   "writeFailures": [{"resource": "services", "verb": "update", "share": 0.5, "code": 409, "afterWrite": false}],
///   "latency": [{"milliseconds": 200, "resource": "pods", "verb": "list"}]}</c>.
/// </summary>
public sealed class FaultEndpoint(SandboxFaults faults) : ISandboxEndpoint
{
    public const string Path = "/sandbox/faults";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<bool> TryHandleAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (context.Request.Path.Value?.TrimEnd('/') != Path)
        {
            return false;
        }

        switch (context.Request.Method)
        {
            case "GET":
                break;
            case "DELETE":
                faults.Reset();
                break;
            case "POST":
                Apply(ResourceService.ParseJson(await new StreamReader(context.Request.Body).ReadToEndAsync(cancellationToken)) as JsonObject
                    ?? throw ApiErrors.BadRequest("the fault request must be a JSON object"));
                break;
            default:
                throw ApiErrors.MethodNotAllowed("GET, POST or DELETE");
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(faults.State, Json), cancellationToken);
        return true;
    }

    private void Apply(JsonObject request)
    {
        try
        {
            if (Meta.AsBool(request["dropWatches"]))
            {
                faults.DropWatches();
            }

            if (request["dropWatchesEverySeconds"] is { } every)
            {
                var seconds = Meta.AsDouble(every) ?? 0;
                faults.DropWatchesEvery(seconds > 0 ? TimeSpan.FromSeconds(seconds) : null);
            }

            if (request["expireWatches"] is { } expire)
            {
                faults.ExpireWatches(Meta.AsBool(expire));
            }

            foreach (var rule in (request["writeFailures"] as JsonArray ?? []).OfType<JsonObject>())
            {
                faults.FailWrites(new WriteFailure(
                    Meta.AsString(rule["resource"]), Meta.AsString(rule["verb"]), Meta.AsDouble(rule["share"]) ?? 1, (int)(Meta.AsInteger(rule["code"]) ?? 500),
                    Meta.AsBool(rule["afterWrite"])));
            }

            foreach (var rule in (request["latency"] as JsonArray ?? []).OfType<JsonObject>())
            {
                faults.AddLatency(new Latency(
                    TimeSpan.FromMilliseconds(Meta.AsDouble(rule["milliseconds"]) ?? 0), Meta.AsString(rule["resource"]), Meta.AsString(rule["verb"])));
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            throw ApiErrors.BadRequest($"invalid fault request: {e.Message}");
        }
    }
}
