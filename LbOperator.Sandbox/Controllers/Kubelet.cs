using System.Text.Json.Nodes;
using LbOperator.Sandbox.Api;
using LbOperator.Sandbox.Resources;
using LbOperator.Sandbox.Storage;
using Microsoft.Extensions.Logging;

namespace LbOperator.Sandbox.Controllers;

/// <summary>
/// Scheduler and kubelet of the sandbox's one node: binds new pods to it, starts them through the
/// <see cref="IPodRuntime"/> and reports Running/Ready with the pod's addresses, and on graceful deletion stops
/// them and removes the pod object.
/// </summary>
public sealed class Kubelet(ResourceService api, SandboxOptions options, IPodRuntime runtime, ILogger<Kubelet> logger) : Controller(api, logger)
{
    private static readonly IReadOnlySet<string> PodsOnly = new HashSet<string>([Key(BuiltInResources.Pods)]);
    private readonly Dictionary<string, PodRuntimeRequest> _started = new(StringComparer.Ordinal);
    private readonly EventRecorder _scheduler = new(api, "default-scheduler");
    private readonly EventRecorder _kubelet = new(api, "kubelet", options.NodeName);

    protected override IReadOnlySet<string>? Interests => PodsOnly;

    protected override async Task HandleAsync(StoreEvent change, CancellationToken cancellationToken)
    {
        var pod = change.Latest;
        var uid = Meta.Uid(pod)!;
        if (change.Type == StoreEventType.Deleted)
        {
            await StopAsync(uid, cancellationToken);
            return;
        }

        var nodeName = Meta.AsString(pod["spec"]?["nodeName"]);
        if (Meta.IsDeleting(pod))
        {
            if (nodeName == options.NodeName || string.IsNullOrEmpty(nodeName))
            {
                await StopAsync(uid, cancellationToken);
                if (Meta.AsInteger(pod["metadata"]?["deletionGracePeriodSeconds"]) is not 0)
                {
                    DeleteQuietly(BuiltInResources.Pods, change.Namespace, change.Name, new DeleteOptions(GracePeriodSeconds: 0, PreconditionUid: uid));
                }
            }

            return;
        }

        if (string.IsNullOrEmpty(nodeName))
        {
            if (Meta.AsString(pod["spec"]?["schedulerName"]) is null or "default-scheduler")
            {
                Bind(change.Namespace!, change.Name);
            }

            return;
        }

        if (nodeName == options.NodeName && !_started.ContainsKey(uid) && Meta.AsString(pod["status"]?["phase"]) is null or "Pending")
        {
            var request = new PodRuntimeRequest(change.Namespace!, change.Name, uid, nodeName, Meta.Clone(pod));
            _started[uid] = request;
            PodRuntimeStatus status;
            try
            {
                status = await runtime.StartPodAsync(request, cancellationToken);
            }
            catch
            {
                // Not started: the next change of the pod tries again.
                _started.Remove(uid);
                throw;
            }

            if (ReportRunning(change.Namespace!, change.Name, uid, status) is { } running)
            {
                RecordContainerEvents(running, status.Containers);
            }
        }
    }

    /// <summary>
    /// The kubelet's Pulled/Created/Started Events for each container. When the runtime says how it ran them, a
    /// container that did not run from its image gets a StandIn Event instead of Pulled, so <c>kubectl describe pod</c>
    /// tells which containers ran their image and which a stand-in replaced.
    /// </summary>
    private void RecordContainerEvents(JsonObject pod, IReadOnlyList<ContainerRun>? runs)
    {
        if (runs is null)
        {
            foreach (var container in (pod["spec"]?["containers"] as JsonArray)?.OfType<JsonObject>() ?? [])
            {
                var containerName = Meta.AsString(container["name"]);
                _kubelet.Normal(pod, "Pulled", $"Container image \"{Meta.AsString(container["image"])}\" already present on machine");
                _kubelet.Normal(pod, "Created", $"Created container {containerName}");
                _kubelet.Normal(pod, "Started", $"Started container {containerName}");
            }

            return;
        }

        foreach (var run in runs)
        {
            if (run.Mode == ContainerRunMode.Image)
            {
                _kubelet.Normal(pod, "Pulled", $"Container image \"{run.Image}\" already present on machine");
            }
            else
            {
                _kubelet.Normal(pod, "StandIn", $"Container {run.Name}: {run.Detail}");
            }

            if (run.Mode != ContainerRunMode.Skipped)
            {
                _kubelet.Normal(pod, "Created", $"Created container {run.Name}");
                _kubelet.Normal(pod, "Started", run.Mode == ContainerRunMode.Image ? $"Started container {run.Name} ({run.Detail})" : $"Started container {run.Name}");
            }
        }
    }

    private void Bind(string ns, string name)
    {
        Api.Mutate(BuiltInResources.Pods, ns, name, pod =>
        {
            if (!string.IsNullOrEmpty(Meta.AsString(pod["spec"]?["nodeName"])))
            {
                return false;
            }

            pod["spec"]!["nodeName"] = options.NodeName;
            return true;
        });
        if (Api.Mutate(BuiltInResources.Pods, ns, name, pod =>
        {
            var status = pod["status"] as JsonObject ?? [];
            status["conditions"] = new JsonArray(Condition("PodScheduled", true));
            pod["status"] = status;
            return true;
        }, "status") is { } bound)
        {
            _scheduler.Normal(bound, "Scheduled", $"Successfully assigned {ns}/{name} to {options.NodeName}");
        }
    }

    private JsonObject? ReportRunning(string ns, string name, string uid, PodRuntimeStatus runtimeStatus) =>
        Api.Mutate(BuiltInResources.Pods, ns, name, pod =>
        {
            if (Meta.Uid(pod) != uid)
            {
                return false;
            }

            var now = Now;
            var ready = runtimeStatus.Ready;
            var containers = (pod["spec"]?["containers"] as JsonArray)?.OfType<JsonObject>() ?? [];
            var status = pod["status"] as JsonObject ?? [];
            status["phase"] = "Running";
            status["conditions"] = new JsonArray(
                Condition("PodReadyToStartContainers", true),
                Condition("Initialized", true),
                Condition("Ready", ready),
                Condition("ContainersReady", ready),
                Condition("PodScheduled", true));
            status["hostIP"] = options.NodeAddress.ToString();
            status["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = options.NodeAddress.ToString() });
            // A host-network pod shares the node's address.
            var podIps = Meta.AsBool(pod["spec"]?["hostNetwork"]) ? [options.NodeAddress] : runtimeStatus.PodIps;
            if (podIps.Count > 0)
            {
                status["podIP"] = podIps[0].ToString();
                status["podIPs"] = new JsonArray([.. podIps.Select(ip => (JsonNode)new JsonObject { ["ip"] = ip.ToString() })]);
            }

            status["startTime"] ??= now;
            status["containerStatuses"] = new JsonArray([.. containers.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c["name"]?.DeepClone(),
                ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } },
                ["lastState"] = new JsonObject(),
                ["ready"] = ready,
                ["restartCount"] = 0,
                ["image"] = c["image"]?.DeepClone(),
                ["imageID"] = runtimeStatus.Containers?.FirstOrDefault(r => !r.Init && r.Name == Meta.AsString(c["name"]))?.ImageId ?? "",
                ["containerID"] = "sandbox://" + uid[..8] + "-" + Meta.AsString(c["name"]),
                ["started"] = true,
            })]);
            if (runtimeStatus.Message is { } message)
            {
                status["message"] = message;
            }

            pod["status"] = status;
            return true;
        }, "status");

    private async Task StopAsync(string uid, CancellationToken cancellationToken)
    {
        if (_started.Remove(uid, out var request))
        {
            await runtime.StopPodAsync(request, cancellationToken);
        }
    }

    private JsonObject Condition(string type, bool status) => new()
    {
        ["type"] = type,
        ["status"] = status ? "True" : "False",
        ["lastProbeTime"] = null,
        ["lastTransitionTime"] = Now,
    };
}
