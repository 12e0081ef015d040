using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using LbOperator.Sandbox.Api;
using LbOperator.Sandbox.Controllers.Scheduling;
using LbOperator.Sandbox.Resources;
using LbOperator.Sandbox.Storage;
using Microsoft.Extensions.Logging;

namespace LbOperator.Sandbox.Controllers;

/// <summary>
/// kube-controller-manager's node lifecycle and taint eviction controllers. A node whose kubelet has neither
/// renewed its Lease nor posted its Ready condition for <see cref="SandboxOptions.NodeMonitorGracePeriod"/> gets
/// every condition Unknown and its pods' Ready condition False. Each node carries the taints its Ready condition
/// calls for: <c>node.kubernetes.io/unreachable</c> when Unknown, <c>node.kubernetes.io/not-ready</c> when False,
/// each with effects NoSchedule and NoExecute; none when Ready. A pod on a node with NoExecute taints is deleted
/// (gracefully, as upstream: a dead kubelet never finishes it, so it stays Terminating) once its tolerations
/// of them run out.
/// </summary>
public sealed class NodeLifecycleController(ResourceService api, SandboxOptions options, ILogger<NodeLifecycleController> logger) : Controller(api, logger)
{
    public const string UnreachableTaint = "node.kubernetes.io/unreachable";
    public const string NotReadyTaint = "node.kubernetes.io/not-ready";

    private static readonly IReadOnlySet<string> Watched = new HashSet<string>([Key(BuiltInResources.Nodes), Key(BuiltInResources.Leases)], StringComparer.Ordinal);

    private static readonly string[] TaintEffects = ["NoSchedule", "NoExecute"];

    private readonly NodeTimings _timings = NodeTimings.From(options);
    private readonly EventRecorder _events = new(api, "taint-eviction-controller");

    protected override IReadOnlySet<string>? Interests => Watched;

    protected override TimeSpan? Period => _timings.MonitorPeriod;

    protected override Task HandleAsync(StoreEvent change, CancellationToken cancellationToken)
    {
        if (change.StorageKey == Key(BuiltInResources.Nodes) && change.Type != StoreEventType.Deleted)
        {
            ReconcileTaints(change.Name);
        }

        return Task.CompletedTask;
    }

    protected override Task TickAsync(CancellationToken cancellationToken)
    {
        var now = Api.Clock.GetUtcNow();
        var nodes = Api.Store.Read(tx => tx.List(Key(BuiltInResources.Nodes), null).ToList());
        foreach (var node in nodes)
        {
            var name = Meta.Name(node)!;
            if (LastHeartbeat(node) is { } last && now - last > options.NodeMonitorGracePeriod && ReadyStatus(node) != "Unknown")
            {
                MarkUnknown(name);
            }

            ReconcileTaints(name);
        }

        EvictIntolerantPods(now);
        return Task.CompletedTask;
    }

    /// <summary>The later of the Lease's renewTime and the Ready condition's lastHeartbeatTime.</summary>
    private DateTimeOffset? LastHeartbeat(JsonObject node)
    {
        var name = Meta.Name(node)!;
        var lease = Api.TryGet(BuiltInResources.Leases, NodeHeartbeat.LeaseNamespace, name);
        var times = new[] { Meta.AsString(lease?["spec"]?["renewTime"]), Meta.AsString(ReadyCondition(node)?["lastHeartbeatTime"]) }
            .Select(t => DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : (DateTimeOffset?)null)
            .Where(t => t is not null)
            .ToList();
        return times.Count == 0 ? null : times.Max();
    }

    private static JsonObject? ReadyCondition(JsonObject node) =>
        (node["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => Meta.AsString(c["type"]) == "Ready");

    private static string? ReadyStatus(JsonObject node) => Meta.AsString(ReadyCondition(node)?["status"]);

    private void MarkUnknown(string nodeName)
    {
        var marked = false;
        Api.Mutate(BuiltInResources.Nodes, null, nodeName, node =>
        {
            if (node["status"]?["conditions"] is not JsonArray conditions || ReadyStatus(node) == "Unknown")
            {
                return false;
            }

            NodeConditions.MarkUnknown(conditions, Now);
            return marked = true;
        }, "status");
        if (!marked)
        {
            return;
        }

        logger.NodeUnreachable(nodeName, options.NodeMonitorGracePeriod);
        foreach (var pod in PodsOn(nodeName))
        {
            MarkPodNotReady(pod);
        }
    }

    private void MarkPodNotReady(JsonObject pod)
    {
        var uid = Meta.Uid(pod);
        Api.Mutate(BuiltInResources.Pods, Meta.Namespace(pod), Meta.Name(pod)!, current =>
        {
            if (Meta.Uid(current) != uid || current["status"]?["conditions"] is not JsonArray conditions
                || conditions.OfType<JsonObject>().FirstOrDefault(c => Meta.AsString(c["type"]) == "Ready") is not { } ready
                || Meta.AsString(ready["status"]) == "False")
            {
                return false;
            }

            ready["status"] = "False";
            ready["lastTransitionTime"] = Now;
            return true;
        }, "status");
    }

    /// <summary>Brings the node's not-ready/unreachable taints in line with its Ready condition.</summary>
    private void ReconcileTaints(string nodeName)
    {
        var changed = false;
        var written = Api.Mutate(BuiltInResources.Nodes, null, nodeName, node =>
        {
            var wanted = ReadyStatus(node) switch
            {
                "Unknown" => UnreachableTaint,
                "False" => NotReadyTaint,
                _ => null,
            };
            var spec = node["spec"] as JsonObject ?? [];
            var taints = spec["taints"] as JsonArray ?? [];
            var kept = taints.OfType<JsonObject>()
                .Where(t => Meta.AsString(t["key"]) is not (UnreachableTaint or NotReadyTaint) || Meta.AsString(t["key"]) == wanted)
                .Select(t => (JsonNode)t.DeepClone())
                .ToList();
            if (wanted is not null)
            {
                foreach (var effect in TaintEffects)
                {
                    if (!kept.OfType<JsonObject>().Any(t => Meta.AsString(t["key"]) == wanted && Meta.AsString(t["effect"]) == effect))
                    {
                        var taint = new JsonObject { ["key"] = wanted, ["effect"] = effect };
                        if (effect == "NoExecute")
                        {
                            taint["timeAdded"] = Now;
                        }

                        kept.Add(taint);
                    }
                }
            }

            if (Meta.JsonEquals(new JsonArray([.. kept.Select(t => t.DeepClone())]), taints))
            {
                return false;
            }

            if (kept.Count == 0)
            {
                spec.Remove("taints");
            }
            else
            {
                spec["taints"] = new JsonArray([.. kept]);
            }

            node["spec"] = spec;
            return changed = true;
        });
        if (changed && written is not null && ReadyStatus(written) == "True")
        {
            logger.NodeReachable(nodeName);
        }
    }

    /// <summary>Deletes each pod whose tolerations of its node's NoExecute taints have run out.</summary>
    private void EvictIntolerantPods(DateTimeOffset now)
    {
        var nodes = Api.Store.Read(tx => tx.List(Key(BuiltInResources.Nodes), null).ToList());
        foreach (var node in nodes.Select(n => KubernetesJson.Deserialize<V1Node>(n.ToJsonString())))
        {
            var noExecute = node.Spec?.Taints?.Where(t => t.Effect == "NoExecute").ToList() ?? [];
            if (noExecute.Count == 0)
            {
                continue;
            }

            var since = noExecute.Max(t => t.TimeAdded is { } added ? new DateTimeOffset(DateTime.SpecifyKind(added, DateTimeKind.Utc)) : now);
            foreach (var stored in PodsOn(node.Metadata.Name).Where(p => !Meta.IsDeleting(p)))
            {
                var pod = KubernetesJson.Deserialize<V1Pod>(stored.ToJsonString());
                if (Tolerations.TimeAllowed(pod, noExecute) is { } allowed && now >= since + allowed)
                {
                    Evict(stored, node.Metadata.Name);
                }
            }
        }
    }

    private void Evict(JsonObject pod, string nodeName)
    {
        var ns = Meta.Namespace(pod)!;
        var name = Meta.Name(pod)!;
        var uid = Meta.Uid(pod);
        logger.EvictingPod(ns, name, nodeName);
        _events.Normal(pod, "TaintManagerEviction", $"Marking for deletion Pod {ns}/{name}");
        Api.Mutate(BuiltInResources.Pods, ns, name, current =>
        {
            if (Meta.Uid(current) != uid)
            {
                return false;
            }

            var status = current["status"] as JsonObject ?? [];
            var conditions = status["conditions"] as JsonArray ?? [];
            if (!conditions.OfType<JsonObject>().Any(c => Meta.AsString(c["type"]) == "DisruptionTarget"))
            {
                conditions.Add(new JsonObject
                {
                    ["type"] = "DisruptionTarget",
                    ["status"] = "True",
                    ["lastProbeTime"] = null,
                    ["lastTransitionTime"] = Now,
                    ["reason"] = "DeletionByTaintManager",
                    ["message"] = "Taint manager: deleting due to NoExecute taint",
                });
            }

            status["conditions"] = conditions;
            current["status"] = status;
            return true;
        }, "status");
        DeleteQuietly(BuiltInResources.Pods, ns, name, new DeleteOptions(PreconditionUid: uid));
    }

    private List<JsonObject> PodsOn(string nodeName) =>
        Api.Store.Read(tx => tx.List(Key(BuiltInResources.Pods), null)
            .Where(p => Meta.AsString(p["spec"]?["nodeName"]) == nodeName && Meta.AsString(p["status"]?["phase"]) is not ("Succeeded" or "Failed"))
            .ToList());
}
