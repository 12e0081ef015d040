namespace LbOperator.Sandbox.Admission;

/// <summary>The admission chain, in the order plugins run: generic metadata first, then per kind.</summary>
public static class AdmissionPlugins
{
    public static IReadOnlyList<IAdmissionPlugin> Create(SandboxOptions options) =>
    [
        new MetadataAdmission(),
        new NamespaceAdmission(),
    ];
}
