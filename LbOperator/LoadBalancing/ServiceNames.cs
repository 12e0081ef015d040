using k8s.Models;

namespace LbOperator.LoadBalancing;

/// <summary>How messages name a Service.</summary>
public static class ServiceNames
{
    /// <summary><c>namespace/name</c>.</summary>
    public static string Display(V1Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return $"{service.Metadata?.NamespaceProperty ?? "default"}/{service.Metadata?.Name ?? "<unnamed>"}";
    }
}
