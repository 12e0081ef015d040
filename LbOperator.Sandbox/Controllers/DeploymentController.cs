using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using LbOperator.Sandbox.Api;
using LbOperator.Sandbox.Resources;
using LbOperator.Sandbox.Storage;
using Microsoft.Extensions.Logging;

namespace LbOperator.Sandbox.Controllers;

/// <summary>
/// Deployments: one ReplicaSet per pod template (<c>&lt;deployment&gt;-&lt;pod-template-hash&gt;</c>), the current
/// one scaled to spec.replicas and older ones to zero (a rollout without surge pacing), revision annotations,
/// old ReplicaSets pruned to revisionHistoryLimit, and status with Available and Progressing conditions.
/// </summary>
public sealed class DeploymentController(ResourceService api, ILogger<DeploymentController> logger) : Controller(api, logger)
{
    public const string HashLabel = "pod-template-hash";
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";

    private static readonly IReadOnlySet<string> Keys = new HashSet<string>([Key(BuiltInResources.Deployments), Key(BuiltInResources.ReplicaSets)]);

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
        var owned = Owned(ns, uid);
        var template = spec["template"] as JsonObject ?? [];
        var hash = TemplateHash(template, Meta.AsInteger(deployment["status"]?["collisionCount"]) ?? 0);
        var current = owned.FirstOrDefault(rs => Meta.Labels(rs).GetValueOrDefault(HashLabel) == hash);
        var desired = Meta.AsInteger(spec["replicas"]) ?? 1;
        var paused = Meta.AsBool(spec["paused"]);
        var maxRevision = owned.Select(Revision).DefaultIfEmpty(0).Max();

        if (current is null && !paused)
        {
            current = CreateReplicaSet(deployment, template, hash, maxRevision + 1, desired);
            owned = Owned(ns, uid);
        }

        if (current is not null && !paused)
        {
            var revision = Revision(current) == 0 ? maxRevision + 1 : Revision(current);
            if (Revision(current) < maxRevision)
            {
                revision = maxRevision + 1;
            }

            Api.Mutate(BuiltInResources.ReplicaSets, ns, Meta.Name(current)!, rs =>
            {
                var changed = false;
                if (Meta.AsInteger(rs["spec"]?["replicas"]) is var before && before != desired)
                {
                    rs["spec"]!["replicas"] = desired;
                    changed = true;
                    _events.Normal(deployment, "ScalingReplicaSet", $"Scaled {(before < desired ? "up" : "down")} replica set {Meta.Name(rs)} from {before ?? 0} to {desired}");
                }

                changed |= SetAnnotation(rs, RevisionAnnotation, revision.ToString(CultureInfo.InvariantCulture));
                changed |= SetAnnotation(rs, "deployment.kubernetes.io/desired-replicas", desired.ToString(CultureInfo.InvariantCulture));
                return changed;
            });

            foreach (var old in owned.Where(rs => Meta.Uid(rs) != Meta.Uid(current)))
            {
                Api.Mutate(BuiltInResources.ReplicaSets, ns, Meta.Name(old)!, rs =>
                {
                    if (Meta.AsInteger(rs["spec"]?["replicas"]) == 0)
                    {
                        return false;
                    }

                    _events.Normal(deployment, "ScalingReplicaSet", $"Scaled down replica set {Meta.Name(rs)} from {Meta.AsInteger(rs["spec"]?["replicas"])} to 0");
                    rs["spec"]!["replicas"] = 0;
                    return true;
                });
            }

            PruneHistory(ns, owned, current, Meta.AsInteger(spec["revisionHistoryLimit"]) ?? 10);
            Api.Mutate(BuiltInResources.Deployments, ns, name, d => SetAnnotation(d, RevisionAnnotation, revision.ToString(CultureInfo.InvariantCulture)));
        }

        UpdateStatus(ns, name, uid, hash);
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

    private JsonObject? CreateReplicaSet(JsonObject deployment, JsonObject template, string hash, long revision, long replicas)
    {
        var ns = Meta.Namespace(deployment);
        var podTemplate = (JsonObject)template.DeepClone();
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
            ["deployment.kubernetes.io/desired-replicas"] = replicas.ToString(CultureInfo.InvariantCulture),
            ["deployment.kubernetes.io/max-replicas"] = replicas.ToString(CultureInfo.InvariantCulture),
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
            _events.Normal(deployment, "ScalingReplicaSet", $"Scaled up replica set {Meta.Name(created)} from 0 to {replicas}");
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

    private void PruneHistory(string ns, List<JsonObject> owned, JsonObject current, long limit)
    {
        var idle = owned
            .Where(rs => Meta.Uid(rs) != Meta.Uid(current) && Meta.AsInteger(rs["status"]?["replicas"]) is null or 0 && Meta.AsInteger(rs["spec"]?["replicas"]) == 0)
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
            var desired = Meta.AsInteger(deployment["spec"]?["replicas"]) ?? 1;
            var replicas = Sum("replicas");
            var ready = Sum("readyReplicas");
            var available = Sum("availableReplicas");
            var updated = Meta.AsInteger(current?["status"]?["replicas"]) ?? 0;
            var old = deployment["status"] as JsonObject ?? [];
            var status = new JsonObject { ["observedGeneration"] = Meta.Generation(deployment) };
            if (replicas > 0)
            {
                status["replicas"] = replicas;
            }

            if (updated > 0)
            {
                status["updatedReplicas"] = updated;
            }

            if (ready > 0)
            {
                status["readyReplicas"] = ready;
            }

            if (available > 0)
            {
                status["availableReplicas"] = available;
            }

            if (desired - available > 0)
            {
                status["unavailableReplicas"] = desired - available;
            }

            var rsName = current is null ? name : Meta.Name(current);
            var complete = current is not null && updated == desired && available >= desired && replicas == desired;
            status["conditions"] = new JsonArray(
                Condition(old, "Available", available >= desired,
                    available >= desired ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                    available >= desired ? "Deployment has minimum availability." : "Deployment does not have minimum availability."),
                Condition(old, "Progressing", true,
                    complete ? "NewReplicaSetAvailable" : current is null ? "ReplicaSetUpdated" : "ReplicaSetUpdated",
                    complete ? $"ReplicaSet \"{rsName}\" has successfully progressed." : $"ReplicaSet \"{rsName}\" is progressing."));
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

    private JsonObject Condition(JsonObject oldStatus, string type, bool value, string reason, string message)
    {
        var previous = (oldStatus["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => Meta.AsString(c["type"]) == type);
        var status = value ? "True" : "False";
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
