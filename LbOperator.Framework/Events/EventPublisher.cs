using k8s;
using k8s.Models;

namespace LbOperator.Framework.Events;

/// <summary>
/// Publishes a core/v1 Event about <paramref name="entity"/> (KubeOps' publisher). Repeats of the same reason and
/// message are aggregated into one Event whose count and lastTimestamp grow. Never throws: a failure to write an
/// Event is logged and must not fail the reconcile that reported it.
/// </summary>
public delegate Task EventPublisher(
    IKubernetesObject<V1ObjectMeta> entity,
    string reason,
    string message,
    EventType type = EventType.Normal,
    CancellationToken cancellationToken = default);

/// <summary>The Event's type as Kubernetes knows it.</summary>
public enum EventType
{
    Normal,
    Warning,
}
