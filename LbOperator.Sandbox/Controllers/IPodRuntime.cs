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

/// <summary>
/// What a started pod looks like: its addresses, whether its containers are ready, and, when the runtime says so,
/// how it ran each container (the kubelet turns that into the pod's Events).
/// </summary>
public sealed record PodRuntimeStatus(IReadOnlyList<IPAddress> PodIps, bool Ready = true, string? Message = null, IReadOnlyList<ContainerRun>? Containers = null);

/// <summary>How a runtime ran a container: from its image, or with a stand-in because the image is not on this machine.</summary>
public enum ContainerRunMode
{
    /// <summary>The container ran from its image (found in local image storage), as a container runtime would run it.</summary>
    Image,

    /// <summary>The image is not here: the spec's command ran on the machine's own file system instead.</summary>
    HostCommand,

    /// <summary>The image is not here and the spec has no command: a built-in stand-in serves the container's ports.</summary>
    Responder,

    /// <summary>The image is not here and an init container has no command: there was nothing to run.</summary>
    Skipped,
}

/// <summary>
/// One container of a started pod and how it ran. <paramref name="Detail"/> is a sentence for the pod's Events;
/// <paramref name="ImageId"/> is set when the container ran from its image.
/// </summary>
public sealed record ContainerRun(string Name, bool Init, string Image, ContainerRunMode Mode, string Detail, string? ImageId = null);
