namespace LbOperator.Sandbox.Api;

/// <summary>Per-kind storage rules kube-apiserver's registries follow.</summary>
internal static class ResourcePolicies
{
    /// <summary>Kinds whose metadata.generation counts spec changes.</summary>
    public static bool TracksGeneration(ResourceDescriptor d) =>
        d.IsCustom || d.Group == "apps" || d.Plural is "customresourcedefinitions" or "poddisruptionbudgets";

    /// <summary>Kinds whose delete answers with the deleted object rather than a Success Status.</summary>
    public static bool ReturnsDeletedObject(ResourceDescriptor d) =>
        d.IsCustom || (d.Group.Length == 0 && d.Plural is "pods" or "services");

    /// <summary>Kinds that accept an update without metadata.resourceVersion (last write wins).</summary>
    public static bool AllowsUnconditionalUpdate(ResourceDescriptor d) => !d.IsCustom;
}
