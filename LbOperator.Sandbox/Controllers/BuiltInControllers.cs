using LbOperator.Sandbox.Api;
using Microsoft.Extensions.Logging;

namespace LbOperator.Sandbox.Controllers;

/// <summary>The controllers a cluster's control plane and kubelet would run, scaled down to one process.</summary>
public static class BuiltInControllers
{
    public static IReadOnlyList<Controller> Create(ResourceService api, SandboxOptions options, ILoggerFactory loggers)
    {
        var runtime = options.PodRuntime ?? new SimulatedPodRuntime(options.Nodes);
        return
        [
        new NamespaceController(api, loggers.CreateLogger<NamespaceController>()),
        new GarbageCollector(api, loggers.CreateLogger<GarbageCollector>()),
        new Scheduler(api, loggers.CreateLogger<Scheduler>()),
        new NodeLifecycleController(api, options, loggers.CreateLogger<NodeLifecycleController>()),
        .. options.Nodes.Select(node => new Kubelet(api, options, node, runtime, loggers.CreateLogger<Kubelet>())),
        .. options.Nodes.Select(node => new NodeHeartbeat(api, options, node, loggers.CreateLogger<NodeHeartbeat>())),
        new ReplicaSetController(api, loggers.CreateLogger<ReplicaSetController>()),
        new DeploymentController(api, loggers.CreateLogger<DeploymentController>()),
        new DisruptionController(api, loggers.CreateLogger<DisruptionController>()),
        new EndpointsController(api, loggers.CreateLogger<EndpointsController>()),
        new CustomResources.CrdController(api, loggers.CreateLogger<CustomResources.CrdController>()),
        ];
    }
}
