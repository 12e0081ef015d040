using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using LbOperator.Sandbox.Api;
using LbOperator.Sandbox.Controllers.Rollout;
using LbOperator.Sandbox.Resources;
using LbOperator.Sandbox.Storage;
using Microsoft.Extensions.Logging;

namespace LbOperator.Sandbox.Controllers;

/// <summary>
/// Deployments: one ReplicaSet per pod template (<c>&lt;deployment&gt;-&lt;pod-template-hash&gt;</c>) rolled out by
/// spec.strategy as kube-controller-manager does (<see cref="RolloutStep"/>: RollingUpdate paced by maxSurge and
/// maxUnavailable against the ReplicaSets' available pods; Recreate only once the old pods are gone), revision
/// annotations, old ReplicaSets pruned to revisionHistoryLimit, and status with Available and Progressing conditions.
/// Each change of a ReplicaSet (its status following its pods) or the deletion of one of its pods recomputes the next step.
/// </summary>
public sealed class DeploymentController(ResourceService api, ILogger<DeploymentController> logger) : Controller(api, logger)
{
    public const string HashLabel = "pod-template-hash";
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";
    private const string DesiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas";
    private const string MaxReplicasAnnotation = "deployment.kubernetes.io/max-replicas";

    private static readonly IReadOnlySet<string> Keys = new HashSet<string>([Key(BuiltInResources.Deployments), Key(BuiltInResources.ReplicaSets), Key(BuiltInResources.Pods)]);

    private readonly EventRecorder _events = new(api, "deployment-controller");

    protected override IReadOnlySet<string>? Interests => Keys;

    protected override Task HandleAsync(StoreEvent change, CancellationToken cancellationToken)
    {
        if (change.StorageKey == Key(BuiltInResources.Deployments))
        {
            if (change.Type != StoreEventType.Deleted)
            {
                Reconcile(change.Namespace!, change.Name);
            }
        }
        else if (change.StorageKey == Key(BuiltInResources.Pods))
        {
            // A Recreate rollout waits for the last old pod object to go, which no ReplicaSet status change tells.
            if (change.Type == StoreEventType.Deleted
                && ReplicaSetController.ControllerOf(change.Latest, "ReplicaSet") is { } rsName
                && Api.TryGet(BuiltInResources.ReplicaSets, change.Namespace, rsName) is { } rs
                && ReplicaSetController.ControllerOf(rs, "Deployment") is { } deploymentName)
            {
                Reconcile(change.Namespace!, deploymentName);
            }
        }
        else if (ReplicaSetController.ControllerOf(change.Latest, "Deployment") is { } owner)
        {
            Reconcile(change.Namespace!, owner);
        }

        return Task.CompletedTask;
    }

    private void Reconcile(string ns, string name)
    {
        if (Api.TryGet(BuiltInResources.Deployments, ns, name) is not { } deployment || Meta.IsDeleting(deployment))
        {
            return;
        }

        var spec = deployment["spec"] as JsonObject ?? [];
        var uid = Meta.Uid(deployment)!;
        var hash = TemplateHash(spec["template"] as JsonObject ?? [], Meta.AsInteger(deployment["status"]?["collisionCount"]) ?? 0);
        if (!Meta.AsBool(spec["paused"]))
        {
            Rollout(deployment, hash);
        }

        UpdateStatus(ns, name, uid, hash);
    }

    private void Rollout(JsonObject deployment, string hash)
    {
        var ns = Meta.Namespace(deployment)!;
        var spec = deployment["spec"] as JsonObject ?? [];
        var owned = Owned(ns, Meta.Uid(deployment)!);
        var current = owned.FirstOrDefault(rs => Meta.Labels(rs).GetValueOrDefault(HashLabel) == hash);
        var olds = owned.Where(rs => !ReferenceEquals(rs, current)).OrderBy(rs => Meta.AsString(rs["metadata"]?["creationTimestamp"]), StringComparer.Ordinal)
            .ThenBy(rs => Meta.Name(rs), StringComparer.Ordinal).ToList();
        var desired = Meta.AsInteger(spec["replicas"]) ?? 1;
        var strategy = DeploymentStrategy.Of(spec);
        var maxRevision = olds.Select(Revision).DefaultIfEmpty(0).Max();
        var oldCounts = olds.Select(Counts).ToList();

        if (current is null)
        {
            if (strategy.IsRecreate && (oldCounts.Any(rs => rs.Replicas > 0) || OldPodsLeft(ns, olds)))
            {
                Apply(deployment, strategy, RolloutStep.Recreate(desired, null, oldCounts, oldPodsLeft: true));
                return;
            }

            var initial = strategy.IsRecreate ? desired : RolloutStep.InitialReplicas(desired, strategy.Resolve(desired), oldCounts);
            current = CreateReplicaSet(deployment, hash, maxRevision + 1, initial, desired + strategy.AllowedSurge(desired));
            if (current is null)
            {
                return;
            }
        }

        var revision = Revision(current) > maxRevision ? Revision(current) : maxRevision + 1;
        Api.Mutate(BuiltInResources.ReplicaSets, ns, Meta.Name(current)!, rs => SetAnnotation(rs, RevisionAnnotation, revision.ToString(CultureInfo.InvariantCulture)));
        Api.Mutate(BuiltInResources.Deployments, ns, Meta.Name(deployment)!, d => SetAnnotation(d, RevisionAnnotation, revision.ToString(CultureInfo.InvariantCulture)));

        var step = strategy.IsRecreate
            ? RolloutStep.Recreate(desired, Counts(current), oldCounts, OldPodsLeft(ns, olds))
            : RolloutStep.RollingUpdate(desired, strategy.Resolve(desired), Counts(current), oldCounts);
        Apply(deployment, strategy, step);
        if (step.Count == 0)
        {
            PruneHistory(ns, olds, Meta.AsInteger(spec["revisionHistoryLimit"]) ?? 10);
        }
    }

    private static ReplicaSetCounts Counts(JsonObject rs) =>
        new(Meta.Name(rs)!, Meta.AsInteger(rs["spec"]?["replicas"]) ?? 1, Meta.AsInteger(rs["status"]?["availableReplicas"]) ?? 0);

    /// <summary>Whether any pod of the old ReplicaSets still exists and has not finished (terminating pods count).</summary>
    private bool OldPodsLeft(string ns, List<JsonObject> olds) =>
        Api.Store.Read(tx => olds.Any(rs => ReplicaSetController.ControlledBy(tx, Key(BuiltInResources.Pods), ns, Meta.Uid(rs)!)
            .Any(pod => Meta.AsString(pod["status"]?["phase"]) is not ("Succeeded" or "Failed"))));

    private void Apply(JsonObject deployment, DeploymentStrategy strategy, IReadOnlyList<ReplicaSetScale> step)
    {
        var desired = Meta.AsInteger(deployment["spec"]?["replicas"]) ?? 1;
        var maxReplicas = desired + strategy.AllowedSurge(desired);
        foreach (var scale in step)
        {
            Api.Mutate(BuiltInResources.ReplicaSets, Meta.Namespace(deployment), scale.Name, rs =>
            {
                var before = Meta.AsInteger(rs["spec"]?["replicas"]) ?? 1;
                var changed = SetAnnotation(rs, DesiredReplicasAnnotation, desired.ToString(CultureInfo.InvariantCulture));
                changed |= SetAnnotation(rs, MaxReplicasAnnotation, maxReplicas.ToString(CultureInfo.InvariantCulture));
                if (before == scale.To)
                {
                    return changed;
                }

                rs["spec"]!["replicas"] = scale.To;
                _events.Normal(deployment, "ScalingReplicaSet", $"Scaled {(before < scale.To ? "up" : "down")} replica set {scale.Name} from {before} to {scale.To}");
                return true;
            });
        }
    }

    private List<JsonObject> Owned(string ns, string uid) =>
        Api.Store.Read(tx => ReplicaSetController.ControlledBy(tx, Key(BuiltInResources.ReplicaSets), ns, uid));

    private static long Revision(JsonObject rs) =>
        long.TryParse(Meta.AsString(rs["metadata"]?["annotations"]?[RevisionAnnotation]), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : 0;

    private static bool SetAnnotation(JsonObject obj, string key, string value)
    {
        var metadata = Meta.Metadata(obj);
        var annotations = metadata["annotations"] as JsonObject ?? [];
        if (Meta.AsString(annotations[key]) == value)
        {
            return false;
        }

        annotations[key] = value;
        metadata["annotations"] = annotations;
        return true;
    }

    private JsonObject? CreateReplicaSet(JsonObject deployment, string hash, long revision, long replicas, long maxReplicas)
    {
        var ns = Meta.Namespace(deployment);
        var desired = Meta.AsInteger(deployment["spec"]?["replicas"]) ?? 1;
        var podTemplate = (JsonObject)(deployment["spec"]?["template"] as JsonObject ?? []).DeepClone();
        var templateMeta = podTemplate["metadata"] as JsonObject ?? [];
        var labels = templateMeta["labels"] as JsonObject ?? [];
        labels[HashLabel] = hash;
        templateMeta["labels"] = labels;
        podTemplate["metadata"] = templateMeta;

        var selector = deployment["spec"]?["selector"]?.DeepClone() as JsonObject ?? [];
        var matchLabels = selector["matchLabels"] as JsonObject ?? [];
        matchLabels[HashLabel] = hash;
        selector["matchLabels"] = matchLabels;

        var annotations = new JsonObject
        {
            [DesiredReplicasAnnotation] = desired.ToString(CultureInfo.InvariantCulture),
            [MaxReplicasAnnotation] = maxReplicas.ToString(CultureInfo.InvariantCulture),
            [RevisionAnnotation] = revision.ToString(CultureInfo.InvariantCulture),
        };
        var rs = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = $"{Meta.Name(deployment)}-{hash}",
                ["labels"] = labels.DeepClone(),
                ["annotations"] = annotations,
                ["ownerReferences"] = new JsonArray(ReplicaSetController.OwnerReference(deployment)),
            },
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["selector"] = selector,
                ["template"] = podTemplate,
            },
        };
        if (deployment["spec"]?["minReadySeconds"] is { } minReady)
        {
            rs["spec"]!["minReadySeconds"] = minReady.DeepClone();
        }

        try
        {
            var created = Api.Create(BuiltInResources.ReplicaSets, ns, rs);
            if (replicas > 0)
            {
                _events.Normal(deployment, "ScalingReplicaSet", $"Scaled up replica set {Meta.Name(created)} from 0 to {replicas}");
            }

            return created;
        }
        catch (ApiException e) when (e.Code == 409)
        {
            return Api.TryGet(BuiltInResources.ReplicaSets, ns, $"{Meta.Name(deployment)}-{hash}");
        }
        catch (ApiException e) when (e.Code is 403 or 404 or 422)
        {
            var (deploymentName, message) = (Meta.Name(deployment), e.Message);
            if (Logger.IsEnabled(LogLevel.Information))
            {
                Logger.LogInformation("Deployment {Namespace}/{Name} cannot create its ReplicaSet: {Message}", ns, deploymentName, message);
            }

            return null;
        }
    }

    private void PruneHistory(string ns, List<JsonObject> olds, long limit)
    {
        var idle = olds
            .Where(rs => Meta.AsInteger(rs["status"]?["replicas"]) is null or 0 && Meta.AsInteger(rs["spec"]?["replicas"]) == 0)
            .OrderBy(Revision)
            .ToList();
        foreach (var rs in idle.Take(Math.Max(0, idle.Count - (int)limit)))
        {
            DeleteQuietly(BuiltInResources.ReplicaSets, ns, Meta.Name(rs)!);
        }
    }

    private void UpdateStatus(string ns, string name, string uid, string hash)
    {
        var owned = Owned(ns, uid);
        var current = owned.FirstOrDefault(rs => Meta.Labels(rs).GetValueOrDefault(HashLabel) == hash);
        long Sum(string field) => owned.Sum(rs => Meta.AsInteger(rs["status"]?[field]) ?? 0);
        Api.Mutate(BuiltInResources.Deployments, ns, name, deployment =>
        {
            var spec = deployment["spec"] as JsonObject ?? [];
            var desired = Meta.AsInteger(spec["replicas"]) ?? 1;
            var replicas = Sum("replicas");
            var ready = Sum("readyReplicas");
            var available = Sum("availableReplicas");
            var updated = Meta.AsInteger(current?["status"]?["replicas"]) ?? 0;
            // Unavailable counts against the pods the ReplicaSets want (spec), as upstream does, never below zero.
            var unavailable = Math.Max(0, owned.Sum(rs => Meta.AsInteger(rs["spec"]?["replicas"]) ?? 1) - available);
            var old = deployment["status"] as JsonObject ?? [];
            var status = new JsonObject { ["observedGeneration"] = Meta.Generation(deployment) };
            foreach (var (field, value) in new[] { ("replicas", replicas), ("updatedReplicas", updated), ("readyReplicas", ready), ("availableReplicas", available), ("unavailableReplicas", unavailable) })
            {
                if (value > 0)
                {
                    status[field] = value;
                }
            }

            var minimumAvailable = available >= desired - DeploymentStrategy.Of(spec).AllowedUnavailable(desired);
            var rsName = current is null ? name : Meta.Name(current);
            var complete = current is not null && updated == desired && replicas == desired && available == desired;
            var progressing = Meta.AsBool(spec["paused"])
                ? Condition(old, "Progressing", "Unknown", "DeploymentPaused", "Deployment is paused")
                : complete
                    ? Condition(old, "Progressing", "True", "NewReplicaSetAvailable", $"ReplicaSet \"{rsName}\" has successfully progressed.")
                    : Condition(old, "Progressing", "True", "ReplicaSetUpdated", $"ReplicaSet \"{rsName}\" is progressing.");
            status["conditions"] = new JsonArray(
                Condition(old, "Available", minimumAvailable ? "True" : "False",
                    minimumAvailable ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                    minimumAvailable ? "Deployment has minimum availability." : "Deployment does not have minimum availability."),
                progressing);
            if (old["collisionCount"] is { } collisions)
            {
                status["collisionCount"] = collisions.DeepClone();
            }

            if (Meta.JsonEquals(WithoutTimes(old), WithoutTimes(status)))
            {
                return false;
            }

            deployment["status"] = status;
            return true;
        }, "status");
    }

    private JsonObject Condition(JsonObject oldStatus, string type, string status, string reason, string message)
    {
        var previous = (oldStatus["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => Meta.AsString(c["type"]) == type);
        var now = Now;
        var transition = previous is not null && Meta.AsString(previous["status"]) == status ? previous["lastTransitionTime"]?.DeepClone() : now;
        return new JsonObject
        {
            ["type"] = type,
            ["status"] = status,
            ["lastUpdateTime"] = now,
            ["lastTransitionTime"] = transition,
            ["reason"] = reason,
            ["message"] = message,
        };
    }

    private static JsonObject WithoutTimes(JsonObject status)
    {
        var copy = (JsonObject)status.DeepClone();
        foreach (var condition in (copy["conditions"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            condition.Remove("lastUpdateTime");
            condition.Remove("lastTransitionTime");
        }

        return copy;
    }

    /// <summary>
    /// A stable hash of the pod template (and the collision count), spelled in the safe alphabet as Kubernetes
    /// spells pod-template-hash values: FNV-1a over the canonical JSON.
    /// </summary>
    public static string TemplateHash(JsonObject template, long collisionCount)
    {
        var text = Canonical(template) + (collisionCount > 0 ? collisionCount.ToString(CultureInfo.InvariantCulture) : "");
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        var digits = hash.ToString(CultureInfo.InvariantCulture);
        return string.Concat(digits.Select(c => NameGenerator.Alphabet[c % NameGenerator.Alphabet.Length]));
    }

    private static string Canonical(JsonNode? node) => node switch
    {
        JsonObject o => "{" + string.Join(",", o.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"\"{kv.Key}\":{Canonical(kv.Value)}")) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(Canonical)) + "]",
        null => "null",
        _ => node.ToJsonString(),
    };
}
