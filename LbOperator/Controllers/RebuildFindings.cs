using LbOperator.Ipam;

namespace LbOperator.Controllers;

/// <summary>
/// The records the last IPAM rebuild refused (conflicts and rejections), by Subnet, for the Subnet's
/// <c>RecordsAdopted</c> condition. Replaced at every rebuild (every leader term); read by <see cref="HoldingSweep"/>.
/// </summary>
public sealed class RebuildFindings
{
    private readonly Lock _lock = new();
    private Dictionary<string, IReadOnlyList<Finding>> _bySubnet = new(StringComparer.Ordinal);

    /// <summary>One refused record: whose, and why (a sentence for users).</summary>
    public sealed record Finding(IpamOwner Owner, string Message);

    public void Replace(RebuildReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var findings = report.Conflicts.Select(c => (c.Record.Subnet, Finding: new Finding(c.Record.Owner, c.ToString())))
            .Concat(report.Rejected.Select(r => (r.Record.Subnet, Finding: new Finding(r.Record.Owner, r.ToString()))))
            .GroupBy(f => f.Subnet, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<Finding>)[.. g.Select(f => f.Finding)], StringComparer.Ordinal);
        lock (_lock)
        {
            _bySubnet = findings;
        }
    }

    public IReadOnlyList<Finding> Of(string subnet)
    {
        lock (_lock)
        {
            return _bySubnet.TryGetValue(subnet, out var findings) ? findings : [];
        }
    }
}
