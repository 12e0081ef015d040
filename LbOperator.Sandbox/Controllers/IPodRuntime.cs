using System.Net;
using System.Text.Json.Nodes;

namespace LbOperator.Sandbox.Controllers;

/// <summary>
/// What the simulated kubelet asks of a node: start a pod that was scheduled to it and stop one that is going away.
/// The default <see cref="SimulatedPodRuntime"/> only hands out addresses; a node simulation can run real
/// network namespaces behind the same interface. Calls for one pod never overlap; calls for different pods may.
/// </summary>
public interface IPodRuntime
{
    /// <summary>Starts the pod; the answer becomes its status (phase Running, Ready when <see cref="PodRuntimeStatus.Ready"/>).</summary>
    Task<PodRuntimeStatus> StartPodAsync(PodRuntimeRequest pod, CancellationToken cancellationToken);

    /// <summary>Stops the pod and frees what it held. Called once per started pod, also when it was deleted outright.</summary>
    Task StopPodAsync(PodRuntimeRequest pod, CancellationToken cancellationToken);
}

/// <summary>The pod being started or stopped. <see cref="Pod"/> is a copy: changing it has no effect.</summary>
public sealed record PodRuntimeRequest(string Namespace, string Name, string Uid, string NodeName, JsonObject Pod);

/// <summary>What a started pod looks like: its addresses and whether its containers are ready.</summary>
public sealed record PodRuntimeStatus(IReadOnlyList<IPAddress> PodIps, bool Ready = true, string? Message = null);
