using System.Net.Sockets;
using LbOperator.LoadBalancing;

namespace LbOperator.Gateway;

/// <summary>
/// Everything the gateway script needs, as validated, typed values: one <see cref="GatewayFamily"/> per address
/// family the Service gets (IPv4 first), the forwarded ports, and the sources allowed to use them
/// (<c>spec.loadBalancerSourceRanges</c>; empty means everyone). Nothing else reaches the script.
/// </summary>
public sealed record GatewayPlan
{
    public GatewayPlan(IEnumerable<GatewayFamily> families, IEnumerable<ServicePortRule> ports, IEnumerable<System.Net.IPNetwork> sourceRanges)
    {
        ArgumentNullException.ThrowIfNull(families);
        ArgumentNullException.ThrowIfNull(ports);
        ArgumentNullException.ThrowIfNull(sourceRanges);
        Families = [.. families.OrderBy(f => f.IsIPv6)];
        if (Families.Count is < 1 or > 2 || Families.Select(f => f.AddressFamily).Distinct().Count() != Families.Count)
        {
            throw new ArgumentException("a gateway serves one IPv4 family, one IPv6 family, or one of each", nameof(families));
        }
        Ports = [.. ports];
        if (Ports.Count == 0)
        {
            throw new ArgumentException("a gateway forwards at least one port", nameof(ports));
        }
        var duplicate = Ports.GroupBy(p => p).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"port {duplicate.Key} is listed twice", nameof(ports));
        }
        SourceRanges = [.. sourceRanges.Distinct()];
    }

    public IReadOnlyList<GatewayFamily> Families { get; }

    public IReadOnlyList<ServicePortRule> Ports { get; }

    public IReadOnlyList<System.Net.IPNetwork> SourceRanges { get; }

    /// <summary>True when only <see cref="SourceRanges"/> may reach the ports.</summary>
    public bool RestrictsSources => SourceRanges.Count > 0;

    /// <summary>The allowed sources of one family; empty with <see cref="RestrictsSources"/> means none of it.</summary>
    public IEnumerable<System.Net.IPNetwork> SourceRangesOf(AddressFamily family) =>
        SourceRanges.Where(r => r.BaseAddress.AddressFamily == family);
}
