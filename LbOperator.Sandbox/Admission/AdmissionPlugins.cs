namespace LbOperator.Sandbox.Admission;

/// <summary>The admission chain, in the order plugins run: generic metadata first, then per kind.</summary>
public static class AdmissionPlugins
{
    public static IReadOnlyList<IAdmissionPlugin> Create(SandboxOptions options) =>
    [
        new MetadataAdmission(),
        new NamespaceAdmission(),
        new PodAdmission(options.DefaultTolerationSeconds),
        new WorkloadAdmission(),
        new PodDisruptionBudgetAdmission(),
        new CustomResources.CrdAdmission(),
        new CustomResources.CustomResourceAdmission(),
        new ServiceAdmission(options, options.RandomSeed is { } seed ? new Random(seed) : new Random()),
        new LoadBalancerStatusAdmission(),
        new SecretAdmission(),
        new ConfigMapAdmission(),
        new LeaseAdmission(),
        new EventAdmission(),
        new TemplateMetadataAdmission(new Schema.KubernetesModelCatalog()),
    ];
}
