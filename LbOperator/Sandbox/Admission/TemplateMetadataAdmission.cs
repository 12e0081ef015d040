using System.Text.Json.Nodes;
using k8s.Models;
using LbOperator.Sandbox.Schema;

namespace LbOperator.Sandbox.Admission;

/// <summary>
/// kube-apiserver encodes the zero <c>creationTimestamp</c> of nested metadata (pod templates of Deployments,
/// ReplicaSets, ...) as <c>null</c>. kubectl's three-way apply compares its last-applied configuration, which has
/// <c>creationTimestamp: null</c>, with that: without it every re-apply of an unchanged Deployment would patch.
/// </summary>
public sealed class TemplateMetadataAdmission(KubernetesModelCatalog catalog) : IAdmissionPlugin
{
    public bool AppliesTo(ResourceDescriptor descriptor) => catalog.ModelTypeFor(descriptor) is not null;

    public void Admit(AdmissionContext context) =>
        Walk(context.NewObject, catalog.ModelTypeFor(context.Descriptor)!, isRoot: true);

    private void Walk(JsonObject obj, Type modelType, bool isRoot)
    {
        if (modelType == typeof(V1ObjectMeta))
        {
            if (!isRoot && !obj.ContainsKey("creationTimestamp"))
            {
                obj["creationTimestamp"] = null;
            }

            return;
        }

        foreach (var (name, field) in catalog.Shape(modelType).Fields)
        {
            if (field.Value is ObjectShape nested && obj[name] is JsonObject child)
            {
                Walk(child, nested.ModelType, isRoot: false);
            }
        }
    }
}
