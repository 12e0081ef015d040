using k8s.Models;

namespace LbOperator.Gateway;

/// <summary>
/// The one answer to "is this Deployment that Service's gateway?": its controller owner reference names the Service
/// by kind, name and uid. Labels and names prove nothing (anyone can copy them), and a Service re-created under the
/// same name has a new uid, so the old Service's Deployment is not the new one's.
/// </summary>
public static class GatewayOwnership
{
    public static bool IsGatewayOf(V1Deployment deployment, V1Service service)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return IsControlledBy(deployment.Metadata, service);
    }

    /// <summary>The same answer for any object the Service's gateway is made of (its PodDisruptionBudget), by its metadata.</summary>
    public static bool IsControlledBy(V1ObjectMeta? metadata, V1Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var uid = service.Metadata?.Uid;
        return !string.IsNullOrEmpty(uid)
            && metadata?.OwnerReferences?.Any(o =>
                o.Controller == true && o.Kind == "Service" && o.ApiVersion == "v1" && o.Name == service.Metadata!.Name && o.Uid == uid) == true;
    }
}
