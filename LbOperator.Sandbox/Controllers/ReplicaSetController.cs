using System.Text.Json.Nodes;
using LbOperator.Sandbox.Api;
using LbOperator.Sandbox.Resources;
using LbOperator.Sandbox.Storage;
using Microsoft.Extensions.Logging;

namespace LbOperator.Sandbox.Controllers;

/// <summary>
/// Keeps each ReplicaSet's pod count at spec.replicas (pods named <c>&lt;replicaset&gt;-&lt;5 characters&gt;</c>,
/// owned by it; extra pods removed in <see cref="PodDeletionOrder"/>) and its status current: replicas, ready and
/// available pods from the pods' Ready conditions, observedGeneration. Available means Ready: minReadySeconds is not
/// waited for (a pod counts as available the moment it is Ready).
/// </summary>
public sealed class ReplicaSetController(ResourceService api, ILogger<ReplicaSetController> logger) : Controller(api, logger)
{
    private static readonly IReadOnlySet<string> Keys = new HashSet<string>([Key(BuiltInResources.ReplicaSets), Key(BuiltInResources.Pods)]);

    private static readonly string[] OmittedWhenZero = ["readyReplicas", "availableReplicas", "fullyLabeledReplicas"];

    private readonly EventRecorder _events = new(api, "replicaset-controller");

    protected override IReadOnlySet<string>? Interests => Keys;

    protected override Task HandleAsync(StoreEvent change, CancellationToken cancellationToken)
    {
        if (change.StorageKey == Key(BuiltInResources.ReplicaSets))
        {
            if (change.Type != StoreEventType.Deleted)
            {
                Reconcile(change.Namespace!, change.Name);
            }
        }
        else if (ControllerOf(change.Latest, "ReplicaSet") is { } owner)
        {
            Reconcile(change.Namespace!, owner);
        }

        return Task.CompletedTask;
    }

    internal static string? ControllerOf(JsonObject obj, string kind) =>
        Meta.OwnerReferences(obj).FirstOrDefault(r => Meta.AsBool(r["controller"]) && Meta.AsString(r["kind"]) == kind) is { } owner
            ? Meta.AsString(owner["name"])
            : null;

    private void Reconcile(string ns, string name)
    {
        if (Api.TryGet(BuiltInResources.ReplicaSets, ns, name) is not { } rs || Meta.IsDeleting(rs))
        {
            return;
        }

        var uid = Meta.Uid(rs)!;
        var pods = OwnedPods(ns, uid);
        var active = pods.Where(p => !Meta.IsDeleting(p) && Meta.AsString(p["status"]?["phase"]) is not ("Succeeded" or "Failed")).ToList();
        var desired = (int)(Meta.AsInteger(rs["spec"]?["replicas"]) ?? 1);
        if (active.Count < desired)
        {
            for (var i = active.Count; i < desired; i++)
            {
                CreatePod(rs);
            }
        }
        else if (active.Count > desired)
        {
            foreach (var extra in active.Order(PodDeletionOrder.Instance).Take(active.Count - desired))
            {
                DeleteQuietly(BuiltInResources.Pods, ns, Meta.Name(extra)!);
                _events.Normal(rs, "SuccessfulDelete", $"Deleted pod: {Meta.Name(extra)}");
            }
        }

        UpdateStatus(ns, name, uid);
    }

    private List<JsonObject> OwnedPods(string ns, string uid) =>
        Api.Store.Read(tx => ControlledBy(tx, Key(BuiltInResources.Pods), ns, uid));

    /// <summary>The objects of one kind in <paramref name="ns"/> whose controller is <paramref name="uid"/>, by name.</summary>
    internal static List<JsonObject> ControlledBy(IStoreReader tx, string storageKey, string ns, string uid) =>
        [.. tx.ByIndex(StoreIndex.ByOwner.Name, uid)
            .Where(x => x.StorageKey == storageKey && Meta.Namespace(x.Object) == ns)
            .Select(x => x.Object)
            .Where(o => Meta.OwnerReferences(o).Any(r => Meta.AsBool(r["controller"]) && Meta.AsString(r["uid"]) == uid))
            .OrderBy(o => Meta.Name(o), StringComparer.Ordinal)];

    internal static bool IsReady(JsonObject pod) =>
        (pod["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>()
            .Any(c => Meta.AsString(c["type"]) == "Ready" && Meta.AsString(c["status"]) == "True") == true;

    private void CreatePod(JsonObject rs)
    {
        var template = rs["spec"]?["template"] as JsonObject ?? [];
        var metadata = (template["metadata"] as JsonObject)?.DeepClone() as JsonObject ?? [];
        metadata.Remove("name");
        metadata.Remove("creationTimestamp");
        metadata["generateName"] = Meta.Name(rs) + "-";
        metadata["ownerReferences"] = new JsonArray(OwnerReference(rs));
        var pod = new JsonObject { ["metadata"] = metadata, ["spec"] = template["spec"]?.DeepClone() };
        try
        {
            var created = Api.Create(BuiltInResources.Pods, Meta.Namespace(rs), pod);
            _events.Normal(rs, "SuccessfulCreate", $"Created pod: {Meta.Name(created)}");
        }
        catch (ApiException e) when (e.Code is 403 or 404 or 422)
        {
            var (rsNamespace, rsName, message) = (Meta.Namespace(rs), Meta.Name(rs), e.Message);
            if (Logger.IsEnabled(LogLevel.Information))
            {
                Logger.LogInformation("ReplicaSet {Namespace}/{Name} cannot create a pod: {Message}", rsNamespace, rsName, message);
            }
        }
    }

    internal static JsonObject OwnerReference(JsonObject owner) => new()
    {
        ["apiVersion"] = owner["apiVersion"]?.DeepClone(),
        ["kind"] = owner["kind"]?.DeepClone(),
        ["name"] = Meta.Name(owner),
        ["uid"] = Meta.Uid(owner),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };

    private void UpdateStatus(string ns, string name, string uid)
    {
        var pods = OwnedPods(ns, uid).Where(p => !Meta.IsDeleting(p) && Meta.AsString(p["status"]?["phase"]) is not ("Succeeded" or "Failed")).ToList();
        Api.Mutate(BuiltInResources.ReplicaSets, ns, name, rs =>
        {
            var selector = LabelSelector.FromObject(rs["spec"]?["template"]?["metadata"]?["labels"] is JsonObject labels ? new JsonObject { ["matchLabels"] = labels.DeepClone() } : null);
            var ready = pods.Count(IsReady);
            var status = new JsonObject
            {
                ["replicas"] = pods.Count,
                ["fullyLabeledReplicas"] = pods.Count(p => selector.Matches(Meta.Labels(p))),
                ["readyReplicas"] = ready,
                ["availableReplicas"] = ready,
                ["observedGeneration"] = Meta.Generation(rs),
            };
            foreach (var zero in OmittedWhenZero)
            {
                if (Meta.AsInteger(status[zero]) == 0)
                {
                    status.Remove(zero);
                }
            }

            if (Meta.JsonEquals(rs["status"], status))
            {
                return false;
            }

            rs["status"] = status;
            return true;
        }, "status");
    }
}
