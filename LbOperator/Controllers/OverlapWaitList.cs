using LbOperator.Entities;
using LbOperator.Framework.Entities;

namespace LbOperator.Controllers;

/// <summary>
/// The Subnets refused because their CIDR overlaps another Subnet's. A change of any other Subnet (an edit, a
/// deletion) may lift such a refusal, so it wakes them; filled by <see cref="SubnetController"/>, read by the
/// Subnet → Subnet watch relation.
/// </summary>
public sealed class OverlapWaitList
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _waiting = new(StringComparer.Ordinal);

    public void Set(string subnet, bool waiting)
    {
        lock (_lock)
        {
            _ = waiting ? _waiting.Add(subnet) : _waiting.Remove(subnet);
        }
    }

    /// <summary>The refused Subnets to look at again because <paramref name="subnet"/> changed.</summary>
    public IReadOnlyList<EntityKey> WokenBy(V1Subnet subnet)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        lock (_lock)
        {
            return [.. _waiting.Where(name => name != subnet.Metadata?.Name).Select(name => new EntityKey(null, name))];
        }
    }
}
