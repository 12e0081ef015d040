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
/// kube-scheduler for pods whose schedulerName is default-scheduler: on every change of pods, nodes or
/// namespaces it places the pods still unbound, oldest first (higher priority before), each with
/// <see cref="PodPlacement"/> over the pods already bound and those placed earlier in the same pass. A pod that
/// fits nowhere stays Pending with PodScheduled=False, reason Unschedulable, and a FailedScheduling Event; the next
/// change tries again.
/// </summary>
public sealed class Scheduler(ResourceService api, ILogger<Scheduler> logger) : Controller(api, logger)
{
    public const string SchedulerName = "default-scheduler";

    private static readonly IReadOnlySet<string> Watched = new HashSet<string>(
        [Key(BuiltInResources.Pods), Key(BuiltInResources.Nodes), Key(BuiltInResources.Namespaces)], StringComparer.Ordinal);

    private readonly EventRecorder _events = new(api, SchedulerName);

    protected override IReadOnlySet<string>? Interests => Watched;

    protected override Task HandleAsync(StoreEvent change, CancellationToken cancellationToken)
    {
        var (pods, nodes, namespaces) = Api.Store.Read(tx => (
            tx.List(Key(BuiltInResources.Pods), null).ToList(),
            tx.List(Key(BuiltInResources.Nodes), null).ToList(),
            tx.List(Key(BuiltInResources.Namespaces), null).ToList()));
        var pending = pods
            .Where(p => string.IsNullOrEmpty(Meta.AsString(p["spec"]?["nodeName"])) && !Meta.IsDeleting(p)
                && (Meta.AsString(p["spec"]?["schedulerName"]) ?? SchedulerName) == SchedulerName)
            .OrderByDescending(p => Meta.AsInteger(p["spec"]?["priority"]) ?? 0)
            .ThenBy(p => Meta.AsString(p["metadata"]?["creationTimestamp"]), StringComparer.Ordinal)
            .ThenBy(p => Meta.Namespace(p) + "/" + Meta.Name(p), StringComparer.Ordinal)
            .ToList();
        if (pending.Count == 0)
        {
            return Task.CompletedTask;
        }

        var placed = pods
            .Where(p => !string.IsNullOrEmpty(Meta.AsString(p["spec"]?["nodeName"])) && Meta.AsString(p["status"]?["phase"]) is not ("Succeeded" or "Failed"))
            .Select(p => new PlacedPod(Typed<V1Pod>(p), Meta.AsString(p["spec"]!["nodeName"])!))
            .ToList();
        var namespaceLabels = namespaces.ToDictionary(
            n => Meta.Name(n)!, n => (IDictionary<string, string>)new Dictionary<string, string>(Meta.Labels(n)), StringComparer.Ordinal);
        var typedNodes = nodes.Select(Typed<V1Node>).OrderBy(n => n.Metadata.Name, StringComparer.Ordinal).ToList();
        foreach (var pod in pending)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var typed = Typed<V1Pod>(pod);
            var placement = PodPlacement.Place(typed, new SchedulingSnapshot(typedNodes, placed, namespaceLabels));
            if (placement.NodeName is { } nodeName)
            {
                if (Bind(pod, nodeName))
                {
                    placed.Add(new PlacedPod(typed, nodeName));
                }
            }
            else
            {
                ReportUnschedulable(pod, placement.Message!);
            }
        }

        return Task.CompletedTask;
    }

    private static T Typed<T>(JsonObject stored) => KubernetesJson.Deserialize<T>(stored.ToJsonString());

    private bool Bind(JsonObject pod, string nodeName)
    {
        var ns = Meta.Namespace(pod)!;
        var name = Meta.Name(pod)!;
        var uid = Meta.Uid(pod);
        var bound = false;
        Api.Mutate(BuiltInResources.Pods, ns, name, current =>
        {
            if (Meta.Uid(current) != uid || !string.IsNullOrEmpty(Meta.AsString(current["spec"]?["nodeName"])) || Meta.IsDeleting(current))
            {
                return false;
            }

            current["spec"]!["nodeName"] = nodeName;
            return bound = true;
        });
        if (!bound)
        {
            return false;
        }

        if (Api.Mutate(BuiltInResources.Pods, ns, name, current => SetScheduledCondition(current, "True", null, null), "status") is { } updated
            && !string.IsNullOrEmpty(Meta.AsString(updated["spec"]?["nodeName"])))
        {
            _events.Normal(updated, "Scheduled", $"Successfully assigned {ns}/{name} to {nodeName}");
        }

        return true;
    }

    private void ReportUnschedulable(JsonObject pod, string message)
    {
        var uid = Meta.Uid(pod);
        var changed = false;
        var updated = Api.Mutate(BuiltInResources.Pods, Meta.Namespace(pod), Meta.Name(pod)!, current =>
            changed = Meta.Uid(current) == uid && SetScheduledCondition(current, "False", "Unschedulable", message), "status");
        if (changed && updated is not null)
        {
            // Only when the reason changed: every change of any pod re-runs the pass, and one Event per pass would flood.
            _events.Record(updated, "Warning", "FailedScheduling", message);
        }
    }

    /// <summary>Sets the PodScheduled condition; false (nothing to write) when it already says the same.</summary>
    private bool SetScheduledCondition(JsonObject pod, string status, string? reason, string? message)
    {
        var podStatus = pod["status"] as JsonObject ?? [];
        var conditions = podStatus["conditions"] as JsonArray ?? [];
        var existing = conditions.OfType<JsonObject>().FirstOrDefault(c => Meta.AsString(c["type"]) == "PodScheduled");
        if (existing is not null && Meta.AsString(existing["status"]) == status && Meta.AsString(existing["reason"]) == reason && Meta.AsString(existing["message"]) == message)
        {
            return false;
        }

        var condition = new JsonObject
        {
            ["type"] = "PodScheduled",
            ["status"] = status,
            ["lastProbeTime"] = null,
            ["lastTransitionTime"] = existing is not null && Meta.AsString(existing["status"]) == status ? existing["lastTransitionTime"]?.DeepClone() : Now,
        };
        if (reason is not null)
        {
            condition["reason"] = reason;
            condition["message"] = message;
        }

        if (existing is not null)
        {
            conditions[conditions.IndexOf(existing)] = condition;
        }
        else
        {
            conditions.Add(condition);
        }

        podStatus["conditions"] = conditions;
        pod["status"] = podStatus;
        return true;
    }
}
