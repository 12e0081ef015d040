using System.Text.Json.Nodes;

namespace LbOperator.Sandbox.Storage;

/// <summary>The three kinds of change the store records; watch streams add BOOKMARK and ERROR on top.</summary>
public enum StoreEventType
{
    Added,
    Modified,
    Deleted,
}

/// <summary>
/// One committed change. <see cref="Latest"/> is the state after the change (for a deletion: the last state,
/// stamped with the deletion's resourceVersion); <see cref="Previous"/> the state before (null for an addition).
/// Both are frozen: nobody mutates a node reachable from the store.
/// </summary>
public sealed record StoreEvent(
    StoreEventType Type,
    string StorageKey,
    string? Namespace,
    string Name,
    JsonObject Latest,
    JsonObject? Previous,
    long ResourceVersion)
{
    public string WireType => Type switch
    {
        StoreEventType.Added => "ADDED",
        StoreEventType.Modified => "MODIFIED",
        _ => "DELETED",
    };
}
