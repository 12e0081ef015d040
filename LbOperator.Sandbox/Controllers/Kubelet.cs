using System.Text.Json.Nodes;
using LbOperator.Sandbox.Api;
using LbOperator.Sandbox.Resources;
using LbOperator.Sandbox.Storage;
using Microsoft.Extensions.Logging;

namespace LbOperator.Sandbox.Controllers;

/// <summary>
/// The kubelet of one node: starts the pods bound to it through the <see cref="IPodRuntime"/> and reports
/// Running/Ready with the pod's addresses, and on graceful deletion stops them and removes the pod object. A
/// crashed node's kubelet (<see cref="NodeOutages"/>) does nothing; when the node is back it does what a kubelet
/// does after a reboot: every pod still bound to it gets a new sandbox (the runtime stops and starts it again,
/// its restart count goes up), and pods deleted meanwhile are finished.
/// </summary>
public sealed class Kubelet(ResourceService api, SandboxOptions options, SandboxNode node, IPodRuntime runtime, ILogger<Kubelet> logger) : Controller(api, logger)
{
    private static readonly IReadOnlySet<string> PodsOnly = new HashSet<string>([Key(BuiltInResources.Pods)]);
    private static readonly TimeSpan RebootCheckInterval = TimeSpan.FromMilliseconds(250);
    private readonly Dictionary<string, PodRuntimeRequest> _started = new(StringComparer.Ordinal);
    private readonly EventRecorder _kubelet = new(api, "kubelet", node.Name);
    private bool _crashed;

    public string NodeName => node.Name;

    protected override IReadOnlySet<string>? Interests => PodsOnly;

    protected override TimeSpan? Period => RebootCheckInterval;

    protected override async Task TickAsync(CancellationToken cancellationToken)
    {
        if (options.NodeOutages.IsDown(node.Name))
        {
            _crashed = true;
            return;
        }

        if (_crashed)
        {
            _crashed = false;
            await RebootAsync(cancellationToken);
        }
    }

    protected override async Task HandleAsync(StoreEvent change, CancellationToken cancellationToken)
    {
        if (options.NodeOutages.IsDown(node.Name))
        {
            // A crashed machine sees nothing; the reboot looks at every pod afresh.
            _crashed = true;
            return;
        }

        if (_crashed)
        {
            _crashed = false;
            await RebootAsync(cancellationToken);
            return;
        }

        var pod = change.Latest;
        var uid = Meta.Uid(pod)!;
        if (change.Type == StoreEventType.Deleted)
        {
            await StopAsync(uid, cancellationToken);
            return;
        }

        if (Meta.AsString(pod["spec"]?["nodeName"]) != node.Name)
        {
            return;
        }

        await SyncAsync(pod, restarted: false, cancellationToken);
    }

    private async Task SyncAsync(JsonObject pod, bool restarted, CancellationToken cancellationToken)
    {
        var ns = Meta.Namespace(pod)!;
        var name = Meta.Name(pod)!;
        var uid = Meta.Uid(pod)!;
        if (Meta.IsDeleting(pod))
        {
            await StopAsync(uid, cancellationToken);
            if (Meta.AsInteger(pod["metadata"]?["deletionGracePeriodSeconds"]) is not 0)
            {
                DeleteQuietly(BuiltInResources.Pods, ns, name, new DeleteOptions(GracePeriodSeconds: 0, PreconditionUid: uid));
            }

            return;
        }

        if (!_started.ContainsKey(uid) && (restarted || Meta.AsString(pod["status"]?["phase"]) is null or "Pending"))
        {
            var request = new PodRuntimeRequest(ns, name, uid, node.Name, Meta.Clone(pod));
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

            if (options.NodeOutages.IsDown(node.Name))
            {
                // Crashed while starting: the reboot starts it again.
                _crashed = true;
                return;
            }

            if (ReportRunning(ns, name, uid, status, restarted) is { } running)
            {
                RecordContainerEvents(running, status.Containers);
            }
        }
    }

    /// <summary>
    /// After a crash nothing of the old pods runs any more: the runtime frees what it held for them, and every
    /// pod still bound here starts again (or is finished, when it was deleted while the node was down).
    /// </summary>
    private async Task RebootAsync(CancellationToken cancellationToken)
    {
        foreach (var uid in _started.Keys.ToList())
        {
            await StopAsync(uid, cancellationToken);
        }

        var pods = Api.Store.Read(tx => tx.List(Key(BuiltInResources.Pods), null)
            .Where(p => Meta.AsString(p["spec"]?["nodeName"]) == node.Name && Meta.AsString(p["status"]?["phase"]) is not ("Succeeded" or "Failed"))
            .ToList());
        logger.NodeRebooted(node.Name, pods.Count);
        foreach (var pod in pods)
        {
            await SyncAsync(pod, restarted: true, cancellationToken);
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

    private JsonObject? ReportRunning(string ns, string name, string uid, PodRuntimeStatus runtimeStatus, bool restarted) =>
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
            status["hostIP"] = node.InternalIp.ToString();
            status["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = node.InternalIp.ToString() });
            // A host-network pod shares the node's address.
            var podIps = Meta.AsBool(pod["spec"]?["hostNetwork"]) ? [node.InternalIp] : runtimeStatus.PodIps;
            if (podIps.Count > 0)
            {
                status["podIP"] = podIps[0].ToString();
                status["podIPs"] = new JsonArray([.. podIps.Select(ip => (JsonNode)new JsonObject { ["ip"] = ip.ToString() })]);
            }

            status["startTime"] ??= now;
            var restartCounts = (status["containerStatuses"] as JsonArray)?.OfType<JsonObject>()
                .ToDictionary(c => Meta.AsString(c["name"]) ?? "", c => Meta.AsInteger(c["restartCount"]) ?? 0, StringComparer.Ordinal) ?? [];
            status["containerStatuses"] = new JsonArray([.. containers.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c["name"]?.DeepClone(),
                ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } },
                ["lastState"] = new JsonObject(),
                ["ready"] = ready,
                ["restartCount"] = restartCounts.GetValueOrDefault(Meta.AsString(c["name"]) ?? "") + (restarted ? 1 : 0),
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
