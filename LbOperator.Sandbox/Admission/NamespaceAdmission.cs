using System.Text.Json.Nodes;
using LbOperator.Sandbox.Resources;

namespace LbOperator.Sandbox.Admission;

/// <summary>Namespaces: the <c>kubernetes</c> finalizer and phase Active on creation, the name label.</summary>
public sealed class NamespaceAdmission : IAdmissionPlugin
{
    public const string KubernetesFinalizer = "kubernetes";

    public bool AppliesTo(ResourceDescriptor descriptor) => descriptor == BuiltInResources.Namespaces;

    public void Admit(AdmissionContext context)
    {
        var ns = context.NewObject;
        var name = Meta.Name(ns) ?? "";
        var labels = Meta.Metadata(ns)["labels"] as JsonObject ?? [];
        labels["kubernetes.io/metadata.name"] = name;
        Meta.Metadata(ns)["labels"] = labels;
        if (context.IsCreate)
        {
            var spec = ns["spec"] as JsonObject ?? [];
            spec["finalizers"] ??= new JsonArray(KubernetesFinalizer);
            ns["spec"] = spec;
            ns["status"] = new JsonObject { ["phase"] = "Active" };
        }
        else if (context.Subresource.Length == 0 && context.OldObject?["spec"] is { } oldSpec)
        {
            // spec.finalizers changes only through /finalize.
            ns["spec"] = oldSpec.DeepClone();
        }
    }
}
