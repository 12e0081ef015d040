using k8s;
using k8s.Models;
using LbOperator.Sandbox.Controllers;

namespace LbOperator.Sandbox.Nodes;

/// <summary>
/// The sandbox kubelet's pod runtime backed by a <see cref="SimulatedNode"/>: each started pod becomes a network
/// namespace running its containers. A pod that cannot start is reported not ready with the reason.
/// </summary>
public sealed class NodePodRuntime(SimulatedNode node) : IPodRuntime
{
    public async Task<PodRuntimeStatus> StartPodAsync(PodRuntimeRequest pod, CancellationToken cancellationToken)
    {
        var spec = KubernetesJson.Deserialize<V1Pod>(pod.Pod.ToJsonString());
        spec.Metadata ??= new V1ObjectMeta();
        spec.Metadata.Name = pod.Name;
        spec.Metadata.NamespaceProperty = pod.Namespace;
        try
        {
            var status = await node.StartPodAsync(spec, cancellationToken);
            return new PodRuntimeStatus(status.PodIps, Containers: status.Containers);
        }
        catch (PodStartException e)
        {
            return new PodRuntimeStatus([], Ready: false, Message: e.Message);
        }
    }

    public Task StopPodAsync(PodRuntimeRequest pod, CancellationToken cancellationToken) =>
        node.StopPodAsync(pod.Namespace, pod.Name, cancellationToken);
}
