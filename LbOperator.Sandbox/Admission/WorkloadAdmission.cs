using System.Text.Json.Nodes;
using LbOperator.Sandbox.Api;
using LbOperator.Sandbox.Resources;

namespace LbOperator.Sandbox.Admission;

/// <summary>
/// Deployments and ReplicaSets: kube-apiserver's defaults (replicas, strategy, revisionHistoryLimit,
/// progressDeadlineSeconds, pod template defaults) and checks (strategy as <see cref="DeploymentStrategyRules"/>, selector present, matching the template's labels,
/// immutable; template valid; restartPolicy Always).
/// </summary>
public sealed class WorkloadAdmission : IAdmissionPlugin
{
    public bool AppliesTo(ResourceDescriptor descriptor) =>
        descriptor == BuiltInResources.Deployments || descriptor == BuiltInResources.ReplicaSets;

    public void Admit(AdmissionContext context)
    {
        if (context.Subresource == "status")
        {
            return;
        }

        var obj = context.NewObject;
        var isDeployment = context.Descriptor == BuiltInResources.Deployments;
        var spec = obj["spec"] as JsonObject ?? [];
        obj["spec"] = spec;
        if (context.IsCreate)
        {
            obj["status"] = new JsonObject();
        }

        spec["replicas"] ??= 1;
        if (isDeployment)
        {
            var strategy = spec["strategy"] as JsonObject ?? [];
            strategy["type"] ??= "RollingUpdate";
            if (Meta.AsString(strategy["type"]) == "RollingUpdate")
            {
                var rolling = strategy["rollingUpdate"] as JsonObject ?? [];
                rolling["maxUnavailable"] ??= "25%";
                rolling["maxSurge"] ??= "25%";
                strategy["rollingUpdate"] = rolling;
            }

            spec["strategy"] = strategy;
            spec["revisionHistoryLimit"] ??= 10;
            spec["progressDeadlineSeconds"] ??= 600;
        }

        var errors = context.Errors;
        if (Meta.AsInteger(spec["replicas"]) is < 0)
        {
            errors.Add(FieldError.Invalid("spec.replicas", spec["replicas"], "must be greater than or equal to 0"));
        }

        if (isDeployment)
        {
            DeploymentStrategyRules.Validate((JsonObject)spec["strategy"]!, errors);
        }

        var template = spec["template"] as JsonObject;
        if (template is null)
        {
            errors.Add(FieldError.Required("spec.template"));
            return;
        }

        if (template["spec"] is JsonObject podSpec)
        {
            PodSpecDefaults.Apply(podSpec);
        }

        PodSpecDefaults.Validate(template["spec"] as JsonObject, "spec.template.spec", errors);
        if (template["spec"]?["restartPolicy"] is { } restart && Meta.AsString(restart) != "Always")
        {
            errors.Add(FieldError.NotSupported("spec.template.spec.restartPolicy", restart, ["Always"]));
        }

        var selector = spec["selector"] as JsonObject;
        if (selector is null)
        {
            errors.Add(FieldError.Required("spec.selector"));
            return;
        }

        var parsed = LabelSelector.FromObject(selector);
        if (parsed.IsEmpty)
        {
            errors.Add(FieldError.Invalid("spec.selector", selector, $"empty selector is invalid for {(isDeployment ? "deployment" : "replicaset")}"));
        }
        else if (!parsed.Matches(Meta.StringMap(template["metadata"]?["labels"])))
        {
            errors.Add(FieldError.Invalid("spec.template.metadata.labels", template["metadata"]?["labels"] ?? new JsonObject(), "`selector` does not match template `labels`"));
        }

        if (context.OldObject?["spec"]?["selector"] is { } oldSelector && !Meta.JsonEquals(oldSelector, selector))
        {
            errors.Add(FieldError.Immutable("spec.selector", selector));
        }
    }
}
