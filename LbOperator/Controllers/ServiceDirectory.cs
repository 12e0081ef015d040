using LbOperator.Entities;
using LbOperator.Framework.Entities;
using LbOperator.Ipam;

namespace LbOperator.Controllers;

/// <summary>
/// Which Subnet each of our Services uses or waits for, so that a Subnet change wakes exactly the Services it
/// concerns: a spec change (new generation) wakes every Service of that Subnet or provider; any other change
/// (its status figures moved because an address was freed) wakes only the Services whose last reconcile failed.
/// Filled by <see cref="Controllers.ServiceController"/>; read by the Subnet → Service watch relation.
/// </summary>
public sealed class ServiceDirectory
{
    private readonly Lock _lock = new();
    private readonly Dictionary<EntityKey, Entry> _entries = [];
    private readonly Dictionary<string, long> _subnetGenerations = new(StringComparer.Ordinal);

    /// <summary>Notes what <paramref name="service"/> uses (or wants) and whether its last reconcile failed.</summary>
    public void Set(EntityKey service, string? provider, string? subnet, bool waiting)
    {
        lock (_lock)
        {
            _entries[service] = new Entry(provider, subnet, waiting);
        }
    }

    public void Remove(EntityKey service)
    {
        lock (_lock)
        {
            _entries.Remove(service);
        }
    }

    /// <summary>The Services to reconcile because <paramref name="subnet"/> changed.</summary>
    public IReadOnlyList<EntityKey> ServicesAffectedBy(V1Subnet subnet)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        var name = subnet.Metadata.Name;
        var provider = SubnetRules.ProviderOf(subnet);
        lock (_lock)
        {
            var specChanged = subnet.Metadata.Generation is not { } generation
                || !_subnetGenerations.TryGetValue(name, out var seen) || generation > seen;
            if (subnet.Metadata.Generation is { } current && specChanged)
            {
                _subnetGenerations[name] = current;
            }

            return [.. _entries
                .Where(e => (e.Value.Subnet == name || e.Value.Provider == provider) && (specChanged || e.Value.Waiting))
                .Select(e => e.Key)];
        }
    }

    /// <summary>The Services attached through <paramref name="attachment"/> (its creation, change or deletion changes their plan).</summary>
    public IReadOnlyList<EntityKey> ServicesAttachedThrough(V1NetworkAttachmentDefinition attachment)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        var provider = $"{attachment.Metadata.Name}.{attachment.Metadata.NamespaceProperty}";
        lock (_lock)
        {
            return [.. _entries.Where(e => e.Value.Provider == provider).Select(e => e.Key)];
        }
    }

    private sealed record Entry(string? Provider, string? Subnet, bool Waiting);
}
