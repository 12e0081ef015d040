using System.Text.Json.Nodes;

namespace LbOperator.Sandbox.Controllers;

/// <summary>
/// Which pods a ReplicaSet removes first when it has too many, as kube-controller-manager ranks them: not yet
/// scheduled before scheduled, Pending before Unknown before Running, not Ready before Ready, Ready for a shorter
/// time before longer, more container restarts before fewer, and then the newer pod before the older.
/// (Upstream also prefers pods sharing a node with more of their siblings; the sandbox has one node.)
/// </summary>
public sealed class PodDeletionOrder : IComparer<JsonObject>
{
    public static PodDeletionOrder Instance { get; } = new();

    public int Compare(JsonObject? x, JsonObject? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        var scheduled = IsScheduled(x).CompareTo(IsScheduled(y));
        if (scheduled != 0)
        {
            return scheduled;
        }

        var phase = PhaseRank(x).CompareTo(PhaseRank(y));
        if (phase != 0)
        {
            return phase;
        }

        var (readyX, readyY) = (ReplicaSetController.IsReady(x), ReplicaSetController.IsReady(y));
        if (readyX != readyY)
        {
            return readyX ? 1 : -1;
        }

        if (readyX && ReadySince(x) is { } sinceX && ReadySince(y) is { } sinceY && sinceX != sinceY)
        {
            // Ready more recently goes first.
            return string.CompareOrdinal(sinceY, sinceX);
        }

        var restarts = Restarts(y).CompareTo(Restarts(x));
        if (restarts != 0)
        {
            return restarts;
        }

        // Newer goes first; RFC 3339 timestamps in UTC order as strings.
        return string.CompareOrdinal(Meta.AsString(y["metadata"]?["creationTimestamp"]), Meta.AsString(x["metadata"]?["creationTimestamp"]));
    }

    private static bool IsScheduled(JsonObject pod) => !string.IsNullOrEmpty(Meta.AsString(pod["spec"]?["nodeName"]));

    private static int PhaseRank(JsonObject pod) => Meta.AsString(pod["status"]?["phase"]) switch
    {
        "Pending" or null => 0,
        "Unknown" => 1,
        "Running" => 2,
        _ => 3,
    };

    private static string? ReadySince(JsonObject pod) =>
        (pod["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(c => Meta.AsString(c["type"]) == "Ready") is { } ready ? Meta.AsString(ready["lastTransitionTime"]) : null;

    private static long Restarts(JsonObject pod) =>
        (pod["status"]?["containerStatuses"] as JsonArray)?.OfType<JsonObject>().Sum(c => Meta.AsInteger(c["restartCount"]) ?? 0) ?? 0;
}
