namespace LbOperator.Framework.Transpilation;

/// <summary>An image reference split the way kustomize's <c>images</c> entries want it: name, then tag or digest.</summary>
public sealed record ContainerImage(string Name, string? Tag, string? Digest)
{
    public static ContainerImage Parse(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var at = reference.IndexOf('@', StringComparison.Ordinal);
        // A colon after the last slash separates the tag; one before it belongs to a registry's port.
        var colon = reference.LastIndexOf(':');
        var image = at >= 0
            ? new ContainerImage(reference[..at], null, reference[(at + 1)..])
            : colon > reference.LastIndexOf('/')
                ? new ContainerImage(reference[..colon], reference[(colon + 1)..], null)
                : new ContainerImage(reference, null, null);
        if (reference.Any(char.IsWhiteSpace) || image.Name.Length == 0 || image.Tag is "" || image.Digest is "")
        {
            throw new FormatException($"image \"{reference}\" is not a valid reference; expected e.g. registry.example/name:tag");
        }

        return image;
    }

    public override string ToString() =>
        Digest is not null ? $"{Name}@{Digest}" : Tag is not null ? $"{Name}:{Tag}" : Name;
}
