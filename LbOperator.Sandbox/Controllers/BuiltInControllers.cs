using LbOperator.Sandbox.Api;
using Microsoft.Extensions.Logging;

namespace LbOperator.Sandbox.Controllers;

/// <summary>The controllers a cluster's control plane and kubelet would run, scaled down to one process.</summary>
public static class BuiltInControllers
{
    public static IReadOnlyList<Controller> Create(ResourceService api, SandboxOptions options, ILoggerFactory loggers) =>
    [
        new NamespaceController(api, loggers.CreateLogger<NamespaceController>()),
        new GarbageCollector(api, loggers.CreateLogger<GarbageCollector>()),
        new Kubelet(api, options, options.PodRuntime ?? new SimulatedPodRuntime(options.PodCidr), loggers.CreateLogger<Kubelet>()),
        new ReplicaSetController(api, loggers.CreateLogger<ReplicaSetController>()),
        new DeploymentController(api, loggers.CreateLogger<DeploymentController>()),
        new DisruptionController(api, loggers.CreateLogger<DisruptionController>()),
        new EndpointsController(api, loggers.CreateLogger<EndpointsController>()),
        new CustomResources.CrdController(api, loggers.CreateLogger<CustomResources.CrdController>()),
    ];
}
