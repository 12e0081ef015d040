namespace LbOperator.Framework.Transpilation;

/// <summary>The parts of a kustomization.yaml the generated tree uses.</summary>
internal sealed class Kustomization
{
    public string ApiVersion { get; } = "kustomize.config.k8s.io/v1beta1";

    public string Kind { get; } = "Kustomization";

    public string? Namespace { get; init; }

    public string? NamePrefix { get; init; }

    public required IList<string> Resources { get; init; }

    public IList<KustomizeImage>? Images { get; init; }
}

/// <summary>A kustomize <c>images</c> entry: replaces the placeholder image <see cref="Name"/>.</summary>
internal sealed class KustomizeImage
{
    public required string Name { get; init; }

    public required string NewName { get; init; }

    public string? NewTag { get; init; }

    public string? Digest { get; init; }
}
