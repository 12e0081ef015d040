using LbOperator.Entities;

namespace LbOperator.LoadBalancing;

/// <summary>
/// What the caller of <see cref="ServicePlanner"/> knows of the Service's NetworkAttachmentDefinition: read and found,
/// read and absent, or not looked up (offline checks of manifests, where the cluster may hold it).
/// </summary>
public abstract record NetworkAttachmentLookup
{
    private NetworkAttachmentLookup()
    {
    }

    /// <summary>Not looked up: the plan has no device resource and nothing is refused for want of the NAD.</summary>
    public static NetworkAttachmentLookup NotChecked { get; } = new Unchecked();

    /// <summary>Looked up and absent.</summary>
    public static NetworkAttachmentLookup Missing { get; } = new Absent();

    public static NetworkAttachmentLookup Of(V1NetworkAttachmentDefinition? nad) => nad is null ? Missing : new Found(nad);

    public sealed record Found(V1NetworkAttachmentDefinition Definition) : NetworkAttachmentLookup;

    public sealed record Absent : NetworkAttachmentLookup;

    public sealed record Unchecked : NetworkAttachmentLookup;
}
