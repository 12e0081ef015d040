using System.Text.Json.Nodes;
using LbOperator.Sandbox.Resources;

namespace LbOperator.Sandbox.Api;

/// <summary>
/// <c>POST pods/{name}/eviction</c> (a policy/v1 Eviction), as kube-apiserver answers it: the pod is deleted unless
/// the one PodDisruptionBudget selecting it allows no disruption (429 TooManyRequests); an allowed eviction takes one
/// from the budget's disruptionsAllowed and records the pod under status.disruptedPods before the pod is deleted.
/// Pods already going, finished or Pending, and not-Ready pods while the budget is healthy (or always with
/// unhealthyPodEvictionPolicy AlwaysAllow), are deleted without counting against the budget.
/// </summary>
public static class EvictionSubresource
{
    public static bool Supports(ResourceDescriptor d) => d == BuiltInResources.Pods;

    public static JsonObject Evict(ResourceService service, string ns, string podName, JsonObject eviction, bool dryRun)
    {
        if (Meta.Name(eviction) is { } named && named != podName)
        {
            throw ApiErrors.BadRequest("name in URL does not match name in Eviction object");
        }

        var pod = service.Get(BuiltInResources.Pods, ns, podName);
        var options = DeleteOptionsOf(eviction["deleteOptions"] as JsonObject, dryRun);
        if (!Meta.IsDeleting(pod) && Meta.AsString(pod["status"]?["phase"]) is not ("Succeeded" or "Failed" or "Pending" or null))
        {
            var budgets = BudgetsOf(service, ns, pod);
            if (budgets.Count > 1)
            {
                throw ApiErrors.Internal("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
            }

            if (budgets.Count == 1 && !MayIgnoreBudget(budgets[0], pod))
            {
                TakeDisruption(service, Meta.Name(budgets[0])!, ns, podName, dryRun);
            }
        }

        service.Delete(BuiltInResources.Pods, ns, podName, options);
        return new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success", ["code"] = 201 };
    }

    /// <summary>Budgets selecting the pod; one with a null or empty selector selects nothing here, as upstream's eviction has it.</summary>
    private static List<JsonObject> BudgetsOf(ResourceService service, string ns, JsonObject pod) =>
        service.Store.Read(tx => tx.List(ResourceRegistry.StorageKey(BuiltInResources.PodDisruptionBudgets), ns)
            .Where(b => b["spec"]?["selector"] is JsonObject selector && LabelSelector.FromObject(selector) is { IsEmpty: false } parsed && parsed.Matches(Meta.Labels(pod)))
            .ToList());

    private static bool MayIgnoreBudget(JsonObject budget, JsonObject pod)
    {
        if (Controllers.ReplicaSetController.IsReady(pod))
        {
            return false;
        }

        if (Meta.AsString(budget["spec"]?["unhealthyPodEvictionPolicy"]) == "AlwaysAllow")
        {
            return true;
        }

        var desired = Meta.AsInteger(budget["status"]?["desiredHealthy"]) ?? 0;
        return desired > 0 && (Meta.AsInteger(budget["status"]?["currentHealthy"]) ?? 0) >= desired;
    }

    private static void TakeDisruption(ResourceService service, string budgetName, string ns, string podName, bool dryRun)
    {
        var update = service.Mutate(BuiltInResources.PodDisruptionBudgets, ns, budgetName, budget =>
        {
            var status = budget["status"] as JsonObject ?? [];
            if ((Meta.AsInteger(status["observedGeneration"]) ?? 0) < Meta.Generation(budget))
            {
                throw Refused($"The disruption budget {budgetName} is still being processed by the server.");
            }

            var allowed = Meta.AsInteger(status["disruptionsAllowed"]) ?? 0;
            if (allowed < 0)
            {
                throw ApiErrors.Forbidden(BuiltInResources.Pods, podName, "pdb disruptions allowed is negative");
            }

            if (allowed == 0)
            {
                throw Refused($"The disruption budget {budgetName} needs {Meta.AsInteger(status["desiredHealthy"]) ?? 0} healthy pods and has {Meta.AsInteger(status["currentHealthy"]) ?? 0} currently");
            }

            if (dryRun)
            {
                return false;
            }

            status["disruptionsAllowed"] = allowed - 1;
            var disrupted = status["disruptedPods"] as JsonObject ?? [];
            disrupted[podName] = Meta.Timestamp(service.Clock.GetUtcNow());
            status["disruptedPods"] = disrupted;
            budget["status"] = status;
            return true;
        }, "status");
        if (update is null)
        {
            throw ApiErrors.NotFound(BuiltInResources.PodDisruptionBudgets, budgetName);
        }
    }

    private static ApiException Refused(string cause) =>
        new(429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.",
            new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["reason"] = "DisruptionBudget", ["message"] = cause }) });

    private static DeleteOptions DeleteOptionsOf(JsonObject? body, bool dryRun) => new(
        PreconditionUid: Meta.AsString(body?["preconditions"]?["uid"]),
        PreconditionResourceVersion: Meta.AsString(body?["preconditions"]?["resourceVersion"]),
        GracePeriodSeconds: Meta.AsInteger(body?["gracePeriodSeconds"]),
        DryRun: dryRun || (body?["dryRun"] is JsonArray a && a.Any(x => x?.ToString() == "All")));
}
