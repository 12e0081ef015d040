namespace LbOperator.Sandbox.Api;

/// <summary>Options of a create, update or patch.</summary>
public sealed record WriteOptions(bool DryRun = false, string? FieldManager = null)
{
    public static WriteOptions Default { get; } = new();
}

/// <summary>Options of a list (and the list part of a deletecollection).</summary>
public sealed record ListOptions(
    string? LabelSelector = null,
    string? FieldSelector = null,
    int? Limit = null,
    string? Continue = null,
    string? ResourceVersion = null,
    string? ResourceVersionMatch = null)
{
    public static ListOptions Everything { get; } = new();
}

/// <summary>Options of a watch.</summary>
public sealed record WatchOptions(
    string? LabelSelector = null,
    string? FieldSelector = null,
    string? ResourceVersion = null,
    bool AllowBookmarks = false,
    TimeSpan? Timeout = null,
    bool? SendInitialEvents = null);

public enum PropagationPolicy
{
    Background,
    Foreground,
    Orphan,
}

/// <summary>
/// The fields of metav1.DeleteOptions the sandbox honours. <see cref="OrphanDependents"/> is the deprecated field as
/// sent (it also decides whether an unfinished delete answers 202).
/// </summary>
public sealed record DeleteOptions(
    PropagationPolicy? Propagation = null,
    string? PreconditionUid = null,
    string? PreconditionResourceVersion = null,
    long? GracePeriodSeconds = null,
    bool DryRun = false,
    bool? OrphanDependents = null)
{
    public static DeleteOptions Default { get; } = new();
}

/// <summary>What a delete answers: the object (still present, or as it was) or a Success Status.</summary>
public sealed record DeleteResult(System.Text.Json.Nodes.JsonObject Body, bool Deleted);
