using System.Text.Json.Nodes;

namespace LbOperator.Sandbox.Api;

/// <summary>
/// core/v1 and events.k8s.io/v1 Events are one resource in two shapes (as in kube-apiserver): stored as core/v1,
/// served to events.k8s.io clients renamed.
/// </summary>
internal static class EventConversion
{
    private static readonly (string Core, string EventsV1)[] Renames =
    [
        ("involvedObject", "regarding"),
        ("message", "note"),
        ("source", "deprecatedSource"),
        ("firstTimestamp", "deprecatedFirstTimestamp"),
        ("lastTimestamp", "deprecatedLastTimestamp"),
        ("count", "deprecatedCount"),
        ("reportingComponent", "reportingController"),
    ];

    public static JsonObject ToEventsV1(JsonObject core)
    {
        var obj = Rename(core, r => r.Core, r => r.EventsV1);
        obj["apiVersion"] = "events.k8s.io/v1";
        obj["kind"] = "Event";
        return obj;
    }

    public static JsonObject ToCoreV1(JsonObject eventsV1)
    {
        var obj = Rename(eventsV1, r => r.EventsV1, r => r.Core);
        obj["apiVersion"] = "v1";
        obj["kind"] = "Event";
        return obj;
    }

    private static JsonObject Rename(JsonObject source, Func<(string Core, string EventsV1), string> from, Func<(string Core, string EventsV1), string> to)
    {
        var obj = Meta.Clone(source);
        foreach (var rename in Renames)
        {
            if (obj.TryGetPropertyValue(from(rename), out var value))
            {
                obj.Remove(from(rename));
                obj[to(rename)] = value;
            }
        }

        return obj;
    }
}
