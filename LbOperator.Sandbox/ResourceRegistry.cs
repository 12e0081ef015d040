using System.Collections.Immutable;

namespace LbOperator.Sandbox;

/// <summary>
/// Every resource type the sandbox serves: the built-in kinds plus one entry per served version of each established
/// CustomResourceDefinition. Routing, discovery, OpenAPI and printing all read from here. Thread safe; readers get
/// immutable snapshots.
/// </summary>
public sealed class ResourceRegistry
{
    private ImmutableDictionary<(string Group, string Version, string Plural), ResourceDescriptor> _byPlural =
        ImmutableDictionary<(string, string, string), ResourceDescriptor>.Empty;

    /// <summary>Raised after descriptors are added or removed (a CRD was established or deleted).</summary>
    public event EventHandler? Changed;

    /// <summary>All descriptors, ordered by group, version and plural.</summary>
    public IReadOnlyList<ResourceDescriptor> All =>
        [.. _byPlural.Values.OrderBy(d => d.Group, StringComparer.Ordinal).ThenBy(d => d.Version, StringComparer.Ordinal).ThenBy(d => d.Plural, StringComparer.Ordinal)];

    public ResourceDescriptor? Find(string group, string version, string plural) =>
        _byPlural.GetValueOrDefault((group, version, plural));

    public ResourceDescriptor? FindByKind(string group, string version, string kind) =>
        _byPlural.Values.FirstOrDefault(d => d.Group == group && d.Version == version && d.Kind == kind);

    /// <summary>The group/versions served, each group's versions in registration order of preference.</summary>
    public IReadOnlyList<string> GroupVersions => [.. All.Select(d => d.GroupVersion).Distinct(StringComparer.Ordinal)];

    public void Register(IEnumerable<ResourceDescriptor> descriptors)
    {
        ImmutableInterlocked.Update(ref _byPlural, map => map.SetItems(descriptors.Select(d =>
            KeyValuePair.Create((d.Group, d.Version, d.Plural), d))));
        Changed?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>Replaces every version of one group/plural (a CRD changed) with <paramref name="descriptors"/>.</summary>
    public void ReplaceResource(string group, string plural, IEnumerable<ResourceDescriptor> descriptors)
    {
        var list = descriptors.ToList();
        ImmutableInterlocked.Update(ref _byPlural, map => map
            .RemoveRange(map.Keys.Where(k => k.Group == group && k.Plural == plural))
            .SetItems(list.Select(d => KeyValuePair.Create((d.Group, d.Version, d.Plural), d))));
        Changed?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>The key objects of this resource are stored under, shared by all versions of a resource.</summary>
    public static string StorageKey(ResourceDescriptor descriptor) =>
        descriptor is { Group: "events.k8s.io", Plural: "events" } ? "/events" : $"{descriptor.Group}/{descriptor.Plural}";
}
