using System.Text.Json.Nodes;

namespace LbOperator.Sandbox.Storage;

/// <summary>
/// A secondary index of the <see cref="ObjectStore"/>: <see cref="Values"/> gives, for an object of a storage key,
/// the values it is found under (none to leave it out). Stored objects never change, so the values an object was
/// indexed under are the ones it is removed under.
/// </summary>
public sealed record StoreIndex(string Name, Func<string, JsonObject, IEnumerable<string>> Values)
{
    /// <summary>Every object under the uid of each owner it names (controller or not).</summary>
    public static StoreIndex ByOwner { get; } = new("owner-uid", (_, obj) =>
        Meta.OwnerReferences(obj).Select(r => Meta.AsString(r["uid"])).OfType<string>().Distinct(StringComparer.Ordinal));

    /// <summary>Every namespaced object under <c>namespace/key=value</c> for each of its labels.</summary>
    public static StoreIndex ByLabel { get; } = new("label", (_, obj) => Pairs(Meta.Namespace(obj), Meta.Labels(obj)));

    /// <summary>The values a namespaced object with these key/value pairs is indexed under (none outside a namespace).</summary>
    public static IEnumerable<string> Pairs(string? ns, IReadOnlyDictionary<string, string> pairs) =>
        ns is null ? [] : pairs.Select(pair => $"{ns}/{pair.Key}={pair.Value}");
}
