using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace LbOperator.Framework.Watcher;

/// <summary>
/// What of an object decides whether its controller runs: everything except <c>status</c> and the server's
/// bookkeeping (<c>resourceVersion</c>, <c>managedFields</c>). So a change to spec (or data), labels, annotations,
/// finalizers, owner references or deletionTimestamp triggers a reconcile, and a write of status alone does not.
/// </summary>
public static class TriggerFingerprint
{
    public static string Of(IKubernetesObject<V1ObjectMeta> entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var node = JsonNode.Parse(KubernetesJson.Serialize(entity))?.AsObject()
            ?? throw new InvalidOperationException("An object serialised to JSON null.");
        node.Remove("status");
        if (node["metadata"] is JsonObject metadata)
        {
            metadata.Remove("resourceVersion");
            metadata.Remove("managedFields");
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(node.ToJsonString())));
    }

    /// <summary>True when going from <paramref name="previous"/> to <paramref name="current"/> needs a reconcile.</summary>
    public static bool Differs(IKubernetesObject<V1ObjectMeta>? previous, IKubernetesObject<V1ObjectMeta> current) =>
        previous is null || !string.Equals(Of(previous), Of(current), StringComparison.Ordinal);
}
