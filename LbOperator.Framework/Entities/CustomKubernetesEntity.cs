using k8s;
using k8s.Models;

namespace LbOperator.Framework.Entities;

/// <summary>Base of every custom entity: a Kubernetes object with metadata (KubeOps' CustomKubernetesEntity).</summary>
public abstract class CustomKubernetesEntity : KubernetesObject, IKubernetesObject<V1ObjectMeta>
{
    public V1ObjectMeta Metadata { get; set; } = new();
}

/// <summary>A custom entity with a spec.</summary>
public abstract class CustomKubernetesEntity<TSpec> : CustomKubernetesEntity, ISpec<TSpec>
    where TSpec : new()
{
    public TSpec Spec { get; set; } = new();
}

/// <summary>A custom entity with a spec and a status (the status is written through the status subresource).</summary>
public abstract class CustomKubernetesEntity<TSpec, TStatus> : CustomKubernetesEntity<TSpec>, IStatus<TStatus>
    where TSpec : new()
    where TStatus : new()
{
    public TStatus Status { get; set; } = new();
}
