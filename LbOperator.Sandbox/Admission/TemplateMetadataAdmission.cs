using System.Text.Json.Nodes;
using k8s.Models;
using LbOperator.Sandbox.Schema;

namespace LbOperator.Sandbox.Admission;

/// <summary>
/// kube-apiserver encodes the zero <c>creationTimestamp</c> of nested metadata (pod templates of Deployments,
/// ReplicaSets, ..., volume claim templates) as <c>null</c>. kubectl's three-way apply compares its last-applied configuration, which has
/// <c>creationTimestamp: null</c>, with that: without it every re-apply of an unchanged Deployment would patch.
/// </summary>
public sealed class TemplateMetadataAdmission(KubernetesModelCatalog catalog) : IAdmissionPlugin
{
    public bool AppliesTo(ResourceDescriptor descriptor) => catalog.ModelTypeFor(descriptor) is not null;

    public void Admit(AdmissionContext context) =>
        Walk(context.NewObject, catalog.ModelTypeFor(context.Descriptor)!, isRoot: true);

    /// <param name="isRoot">True for the stored object itself, whose own metadata the server fills in.</param>
    private void Walk(JsonObject obj, Type modelType, bool isRoot)
    {
        if (modelType == typeof(V1ObjectMeta))
        {
            if (!obj.ContainsKey("creationTimestamp"))
            {
                obj["creationTimestamp"] = null;
            }

            return;
        }

        foreach (var (name, field) in catalog.Shape(modelType).Fields)
        {
            if (isRoot && name == "metadata")
            {
                continue;
            }

            switch (field.Value, obj[name])
            {
                case (ObjectShape nested, JsonObject child):
                    Walk(child, nested.ModelType, isRoot: false);
                    break;
                case (ListShape { Item: ObjectShape item }, JsonArray items):
                    foreach (var element in items.OfType<JsonObject>())
                    {
                        Walk(element, item.ModelType, isRoot: false);
                    }

                    break;
            }
        }
    }
}
