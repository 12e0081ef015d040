using System.Globalization;
using System.Text.Json.Nodes;
using LbOperator.Sandbox.Api;
using LbOperator.Sandbox.Resources;

namespace LbOperator.Sandbox.Controllers;

/// <summary>
/// Writes core/v1 Events about objects, as the control plane's components do, so <c>kubectl describe</c> and
/// <c>kubectl get events</c> show what happened. Failures to record are ignored (events are best effort).
/// </summary>
public sealed class EventRecorder(ResourceService api, string component, string? host = null)
{
    private long _sequence;

    public void Normal(JsonObject about, string reason, string message) => Record(about, "Normal", reason, message);

    public void Record(JsonObject about, string type, string reason, string message)
    {
        var ns = Meta.Namespace(about) ?? "default";
        var now = api.Clock.GetUtcNow();
        var source = new JsonObject { ["component"] = component };
        if (host is not null)
        {
            source["host"] = host;
        }

        // Unique per recorder even within one clock tick (several events about one object in a row).
        var stamp = now.UtcTicks + Interlocked.Increment(ref _sequence);
        var name = $"{Meta.Name(about)}.{stamp.ToString("x", CultureInfo.InvariantCulture)}";
        var obj = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name.Length > 253 ? name[^253..] : name },
            ["involvedObject"] = new JsonObject
            {
                ["kind"] = about["kind"]?.DeepClone(),
                ["namespace"] = Meta.Namespace(about),
                ["name"] = Meta.Name(about),
                ["uid"] = Meta.Uid(about),
                ["apiVersion"] = about["apiVersion"]?.DeepClone(),
                ["resourceVersion"] = Meta.ResourceVersion(about),
            },
            ["reason"] = reason,
            ["message"] = message,
            ["source"] = source,
            ["firstTimestamp"] = Meta.Timestamp(now),
            ["lastTimestamp"] = Meta.Timestamp(now),
            ["count"] = 1,
            ["type"] = type,
            ["eventTime"] = null,
            ["reportingComponent"] = component,
            ["reportingInstance"] = host ?? "",
        };
        try
        {
            api.Create(BuiltInResources.Events, ns, obj);
        }
        catch (ApiException)
        {
            // Best effort: a terminating namespace or a name clash loses the event, as a busy cluster may.
        }
    }
}
