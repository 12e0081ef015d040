namespace LbOperator.Sandbox.Schema;

/// <summary>
/// How a strategic merge patch treats a field: lists merge by a key (or, for primitive lists, as a set) instead of
/// being replaced; <c>retainKeys</c> clears the fields a patch does not list.
/// </summary>
public sealed record PatchStrategy(bool Merge, string? MergeKey, bool RetainKeys)
{
    public static readonly PatchStrategy Replace = new(false, null, false);

    public static PatchStrategy MergeBy(string key) => new(true, key, false);

    public static readonly PatchStrategy MergeSet = new(true, null, false);

    public static readonly PatchStrategy Retain = new(false, null, true);
}
