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

    public IList<KustomizePatch>? Patches { get; init; }
}

/// <summary>A kustomize <c>patches</c> entry given inline.</summary>
internal sealed class KustomizePatch
{
    public required string Patch { get; init; }
}

/// <summary>A kustomize <c>images</c> entry: replaces the placeholder image <see cref="Name"/>.</summary>
internal sealed class KustomizeImage
{
    public required string Name { get; init; }

    public required string NewName { get; init; }

    public string? NewTag { get; init; }

    public string? Digest { get; init; }
}

/// <summary>A kustomize Component (<c>kustomize.config.k8s.io/v1alpha1</c>): resources an overlay adds with <c>components:</c>.</summary>
internal sealed class KustomizeComponent
{
    public string ApiVersion { get; } = "kustomize.config.k8s.io/v1alpha1";

    public string Kind { get; } = "Component";

    public required IList<string> Resources { get; init; }
}
