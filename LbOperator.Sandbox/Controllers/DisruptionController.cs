using System.Text.Json.Nodes;
using LbOperator.Sandbox.Api;
using LbOperator.Sandbox.Controllers.Rollout;
using LbOperator.Sandbox.Resources;
using LbOperator.Sandbox.Storage;
using Microsoft.Extensions.Logging;

namespace LbOperator.Sandbox.Controllers;

/// <summary>
/// kube-controller-manager's disruption controller: keeps each PodDisruptionBudget's status (expectedPods,
/// currentHealthy, desiredHealthy, disruptionsAllowed, observedGeneration, the DisruptionAllowed condition) current
/// as the pods it selects and their controllers change, and drops evicted pods from status.disruptedPods once their
/// deletion has started. See <see cref="DisruptionBudget"/> for the arithmetic.
/// </summary>
public sealed class DisruptionController(ResourceService api, ILogger<DisruptionController> logger) : Controller(api, logger)
{
    private static readonly IReadOnlySet<string> Keys = new HashSet<string>(
        [Key(BuiltInResources.PodDisruptionBudgets), Key(BuiltInResources.Pods), Key(BuiltInResources.ReplicaSets), Key(BuiltInResources.Deployments)]);

    /// <summary>How long an evicted pod counts as disrupted while its deletion has not started.</summary>
    private static readonly TimeSpan DisruptionTimeout = TimeSpan.FromMinutes(2);

    protected override IReadOnlySet<string>? Interests => Keys;

    protected override Task HandleAsync(StoreEvent change, CancellationToken cancellationToken)
    {
        if (change.Namespace is not { } ns)
        {
            return Task.CompletedTask;
        }

        // A namespace holds few budgets: each change of a pod or of a pod's controller re-reads them all.
        var budgets = change.StorageKey == Key(BuiltInResources.PodDisruptionBudgets)
            ? change.Type == StoreEventType.Deleted ? [] : [change.Name]
            : Api.Store.Read(tx => tx.List(Key(BuiltInResources.PodDisruptionBudgets), ns).Select(b => Meta.Name(b)!).ToList());
        foreach (var name in budgets)
        {
            Reconcile(ns, name);
        }

        return Task.CompletedTask;
    }

    private void Reconcile(string ns, string name)
    {
        if (Api.TryGet(BuiltInResources.PodDisruptionBudgets, ns, name) is not { } pdb || Meta.IsDeleting(pdb))
        {
            return;
        }

        var spec = pdb["spec"] as JsonObject ?? [];
        var pods = Api.Store.Read(tx => SelectedPods(tx, ns, spec["selector"] as JsonObject));
        var disrupted = StillDisrupted(pdb["status"]?["disruptedPods"] as JsonObject, pods);
        var counts = DisruptionBudget.Compute(spec, pods, pod => ScaleOfController(ns, pod), disrupted.Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal));
        Api.Mutate(BuiltInResources.PodDisruptionBudgets, ns, name, budget =>
        {
            var old = budget["status"] as JsonObject ?? [];
            var generation = Meta.Generation(budget);
            var status = new JsonObject
            {
                ["observedGeneration"] = generation,
                ["disruptionsAllowed"] = counts.DisruptionsAllowed,
                ["currentHealthy"] = counts.CurrentHealthy,
                ["desiredHealthy"] = counts.DesiredHealthy,
                ["expectedPods"] = counts.ExpectedPods,
            };
            var (allowed, reason, message) = counts.Failure is { } failure
                ? (false, "SyncFailed", failure)
                : counts.DisruptionsAllowed > 0 ? (true, "SufficientPods", "") : (false, "InsufficientPods", "");
            status["conditions"] = new JsonArray(Condition(old, allowed, reason, message, generation));
            if (disrupted.Count > 0)
            {
                status["disruptedPods"] = new JsonObject(disrupted.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
            }

            if (Meta.JsonEquals(old, status))
            {
                return false;
            }

            budget["status"] = status;
            return true;
        }, "status");
    }

    /// <summary>
    /// The evicted pods still counted as disrupted: those not yet being deleted, for at most two minutes after the
    /// eviction (then the deletion is taken to have failed). Expiry is noticed on the next change, not by a timer.
    /// </summary>
    private List<KeyValuePair<string, string>> StillDisrupted(JsonObject? recorded, List<JsonObject> pods)
    {
        var now = Api.Clock.GetUtcNow();
        var live = pods.Where(p => !Meta.IsDeleting(p)).Select(p => Meta.Name(p)!).ToHashSet(StringComparer.Ordinal);
        return [.. (recorded ?? []).Select(kv => KeyValuePair.Create(kv.Key, Meta.AsString(kv.Value) ?? ""))
            .Where(kv => live.Contains(kv.Key) && DateTimeOffset.TryParse(kv.Value, System.Globalization.CultureInfo.InvariantCulture, out var at) && at + DisruptionTimeout > now)];
    }

    /// <summary>A null selector selects no pod in policy/v1; an empty one selects every pod of the namespace.</summary>
    private static List<JsonObject> SelectedPods(IStoreReader tx, string ns, JsonObject? selector)
    {
        if (selector is null)
        {
            return [];
        }

        var parsed = LabelSelector.FromObject(selector);
        return [.. tx.List(Key(BuiltInResources.Pods), ns).Where(p => parsed.Matches(Meta.Labels(p)))];
    }

    /// <summary>
    /// The controller a pod counts against and how many pods it wants: a Deployment through its ReplicaSet, or the
    /// ReplicaSet itself. Null for a pod without a controller the sandbox runs.
    /// </summary>
    private ControllerScale? ScaleOfController(string ns, JsonObject pod)
    {
        if (ReplicaSetController.ControllerOf(pod, "ReplicaSet") is not { } rsName || Api.TryGet(BuiltInResources.ReplicaSets, ns, rsName) is not { } rs)
        {
            return null;
        }

        if (ReplicaSetController.ControllerOf(rs, "Deployment") is { } deploymentName
            && Api.TryGet(BuiltInResources.Deployments, ns, deploymentName) is { } deployment)
        {
            return new ControllerScale(Meta.Uid(deployment)!, Meta.AsInteger(deployment["spec"]?["replicas"]) ?? 1);
        }

        return new ControllerScale(Meta.Uid(rs)!, Meta.AsInteger(rs["spec"]?["replicas"]) ?? 1);
    }

    private JsonObject Condition(JsonObject oldStatus, bool allowed, string reason, string message, long generation)
    {
        var status = allowed ? "True" : "False";
        var previous = (oldStatus["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => Meta.AsString(c["type"]) == "DisruptionAllowed");
        return new JsonObject
        {
            ["type"] = "DisruptionAllowed",
            ["status"] = status,
            ["observedGeneration"] = generation,
            ["lastTransitionTime"] = previous is not null && Meta.AsString(previous["status"]) == status ? previous["lastTransitionTime"]?.DeepClone() : Now,
            ["reason"] = reason,
            ["message"] = message,
        };
    }
}
