using System.Text.Json.Nodes;

namespace LbOperator.Sandbox.Controllers;

/// <summary>The conditions a kubelet posts for a healthy node, and what the lifecycle controller turns them into when it goes silent.</summary>
public static class NodeConditions
{
    private static readonly (string Type, string Reason, string Message)[] KubeletConditions =
    [
        ("MemoryPressure", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        ("DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        ("PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        ("Ready", "KubeletReady", "kubelet is posting ready status"),
    ];

    public static JsonArray Healthy(string now) =>
    [
        .. KubeletConditions.Select(c => (JsonNode)new JsonObject
        {
            ["type"] = c.Type,
            ["status"] = c.Type == "Ready" ? "True" : "False",
            ["lastHeartbeatTime"] = now,
            ["lastTransitionTime"] = now,
            ["reason"] = c.Reason,
            ["message"] = c.Message,
        }),
    ];

    /// <summary>Every condition Unknown, as the node lifecycle controller writes them once the grace period has passed.</summary>
    public static void MarkUnknown(JsonArray conditions, string now)
    {
        foreach (var condition in conditions.OfType<JsonObject>())
        {
            if (Meta.AsString(condition["status"]) != "Unknown")
            {
                condition["lastTransitionTime"] = now;
            }

            condition["status"] = "Unknown";
            condition["reason"] = "NodeStatusUnknown";
            condition["message"] = "Kubelet stopped posting node status.";
        }
    }
}
