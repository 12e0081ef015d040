namespace LbOperator.Sandbox.Schema;

/// <summary>What a JSON value of a Kubernetes model field may hold, as read from the KubernetesClient model types.</summary>
public abstract record ValueShape;

/// <summary>A scalar: string, number, boolean, or one of the Kubernetes scalar types encoded as JSON strings or numbers.</summary>
public sealed record ScalarShape(ScalarKind Kind) : ValueShape;

/// <summary>A nested model object whose fields are described by <see cref="KubernetesModelCatalog.Shape(Type)"/>.</summary>
public sealed record ObjectShape(Type ModelType) : ValueShape;

public sealed record ListShape(ValueShape Item) : ValueShape;

/// <summary>A map with string keys (labels, annotations, resource lists, ...).</summary>
public sealed record MapShape(ValueShape Value) : ValueShape;

/// <summary>Free-form JSON (RawExtension, JSON schema defaults, ...): anything goes.</summary>
public sealed record AnyShape : ValueShape;

public enum ScalarKind
{
    Text,
    WholeNumber,
    Number,
    Boolean,
    /// <summary>A timestamp in RFC 3339 form.</summary>
    Time,
    /// <summary>Base64-encoded bytes.</summary>
    Bytes,
    /// <summary>An integer or a string (target ports, maxSurge).</summary>
    IntOrString,
    /// <summary>A resource quantity such as <c>100m</c> or <c>1Gi</c>, sent as a string or a number.</summary>
    Quantity,
}

/// <summary>One JSON field of a model object.</summary>
public sealed record FieldShape(string Name, ValueShape Value, PatchStrategy Patch);

/// <summary>The JSON fields of one model type.</summary>
public sealed record ModelShape(Type ModelType, IReadOnlyDictionary<string, FieldShape> Fields);
