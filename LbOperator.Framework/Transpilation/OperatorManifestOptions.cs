namespace LbOperator.Framework.Transpilation;

/// <summary>What the generated kustomize tree needs to know about the operator it deploys.</summary>
public sealed record OperatorManifestOptions
{
    /// <summary>Short lower-case name: the prefix of every object and of the namespace "{Name}-system".</summary>
    public required string Name { get; init; }

    /// <summary>The operator's container image, e.g. "ghcr.io/lboperator/lboperator:latest".</summary>
    public required string Image { get; init; }

    /// <summary>The container's arguments (the image's entry point is the operator).</summary>
    public required IReadOnlyList<string> Args { get; init; }

    /// <summary>Port of the /healthz and /readyz endpoints.</summary>
    public int HealthPort { get; init; } = 8081;

    /// <summary>Further trees to write beside <c>default/</c>, each leaving out the CRDs another project owns.</summary>
    public IReadOnlyList<ManifestVariant> Variants { get; init; } = [];

    public string Namespace => $"{Name}-system";
}
