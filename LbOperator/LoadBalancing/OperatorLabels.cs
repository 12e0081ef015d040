namespace LbOperator.LoadBalancing;

/// <summary>The label every object the operator creates for a Service carries (gateway Deployments, Kube-OVN Vips).</summary>
public static class OperatorLabels
{
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ManagedBy = "lb-operator";
}
