using System.Net.Sockets;
using LbOperator.Controllers;
using LbOperator.Framework.Health;
using LbOperator.Framework.Metrics;
using LbOperator.Ipam;

namespace LbOperator.Metrics;

/// <summary>
/// Addresses used and available per Subnet and family, from the IPAM: the same figures the Subnet's status shows
/// (<c>v4usingIPs</c>, <c>v4availableIPs</c>, <c>v6…</c>, as Kube-OVN defines them). A dual-stack Subnet has one
/// series per family; a Subnet LbOperator does not serve (Kube-OVN's own) has none.
/// </summary>
public sealed class SubnetAddressMetrics : IMetricsSource
{
    private readonly IpamState _ipam;
    private readonly OperatorHealth _health;
    private readonly SnapshotGauge _used;
    private readonly SnapshotGauge _available;

    public SubnetAddressMetrics(OperatorMetrics metrics, IpamState ipam, OperatorHealth health)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _ipam = ipam;
        _health = health;
        _used = new SnapshotGauge(metrics.Registry, DomainMetricNames.SubnetAddressesUsed,
            "Addresses of the Subnet held by Services, outside excludeIps (status.v4usingIPs / v6usingIPs), by Subnet and family.",
            "subnet", "family");
        _available = new SnapshotGauge(metrics.Registry, DomainMetricNames.SubnetAddressesAvailable,
            "Addresses of the Subnet a dynamic request could still get (status.v4availableIPs / v6availableIPs), by Subnet and family.",
            "subnet", "family");
    }

    public void Update()
    {
        IReadOnlyList<SubnetUsage> usages = DomainMetricNames.Serving(_health) ? _ipam.GetStatuses() : [];
        _used.Publish(Samples(usages, family => family.Using));
        _available.Publish(Samples(usages, family => family.Available));
    }

    private static IEnumerable<GaugeSample> Samples(IReadOnlyList<SubnetUsage> usages, Func<FamilyUsage, UInt128> figure)
    {
        foreach (var usage in usages)
        {
            foreach (var (family, figures) in new[] { (AddressFamily.InterNetwork, usage.V4), (AddressFamily.InterNetworkV6, usage.V6) })
            {
                if (figures is not null)
                {
                    yield return new GaugeSample([usage.Subnet, FamilyLabel(family)], (double)figure(figures));
                }
            }
        }
    }

    /// <summary>Kube-OVN's spelling of the family, as in <c>spec.protocol</c>.</summary>
    private static string FamilyLabel(AddressFamily family) => family == AddressFamily.InterNetwork ? "IPv4" : "IPv6";
}
