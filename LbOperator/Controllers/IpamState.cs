using System.Net;
using LbOperator.Ipam;

namespace LbOperator.Controllers;

/// <summary>
/// The operator's one IPAM: the pure <see cref="IpamService"/> behind a lock, shared by the Subnet and Service
/// controllers and finalizers (which reconcile in parallel). Rebuilt from the cluster by <see cref="IpamRebuildTask"/>
/// at the start of every leader term, before the first reconcile.
/// </summary>
public sealed class IpamState
{
    private readonly Lock _lock = new();
    private IpamService _ipam = new();

    /// <summary>
    /// Replaces the whole state: the Subnets in the order given (one whose CIDR overlaps a Subnet applied before it
    /// is left out), then the recorded holdings (older Services first).
    /// </summary>
    public RebuildReport Rebuild(IEnumerable<SubnetDefinition> subnets, IEnumerable<RecordedAllocation> records)
    {
        ArgumentNullException.ThrowIfNull(subnets);
        ArgumentNullException.ThrowIfNull(records);
        var ipam = new IpamService();
        foreach (var subnet in subnets)
        {
            ipam.ApplySubnet(subnet);
        }

        var report = ipam.Rebuild(records);
        lock (_lock)
        {
            _ipam = ipam;
        }

        return report;
    }

    public SubnetChange ApplySubnet(SubnetDefinition definition)
    {
        lock (_lock)
        {
            return _ipam.ApplySubnet(definition);
        }
    }

    /// <summary>The addresses of <paramref name="subnet"/> another IPAM hands out (see <see cref="IpamService.SetHeldElsewhere"/>).</summary>
    public void SetHeldElsewhere(string subnet, IReadOnlyDictionary<System.Net.IPAddress, string> addresses)
    {
        lock (_lock)
        {
            _ipam.SetHeldElsewhere(subnet, addresses);
        }
    }

    /// <summary>The definition in effect for <paramref name="name"/> (an edit the IPAM refused is not in effect).</summary>
    public SubnetDefinition? GetSubnet(string name)
    {
        lock (_lock)
        {
            return _ipam.GetSubnet(name);
        }
    }

    public SubnetRemoval RemoveSubnet(string name)
    {
        lock (_lock)
        {
            return _ipam.RemoveSubnet(name);
        }
    }

    /// <summary>
    /// Allocates in <paramref name="subnet"/>, applying it first when the IPAM does not know it yet (a Service can be
    /// reconciled before its Subnet is); a Subnet the IPAM knows keeps the definition in effect.
    /// </summary>
    public AllocationResult Allocate(SubnetDefinition subnet, IpamOwner owner, AddressRequest request)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        lock (_lock)
        {
            if (_ipam.GetSubnet(subnet.Name) is null)
            {
                switch (_ipam.ApplySubnet(subnet))
                {
                    case SubnetChange.Overlapping overlapping:
                        return new AllocationResult.SubnetRefused(subnet.Name, overlapping.Reason);
                    case SubnetChange.Refused refused:
                        return new AllocationResult.SubnetRefused(subnet.Name, refused.Reason);
                }
            }

            return _ipam.Allocate(subnet.Name, owner, request);
        }
    }

    public IpamHolding? Release(IpamOwner owner)
    {
        lock (_lock)
        {
            return _ipam.Release(owner);
        }
    }

    public IpamHolding? Lookup(IpamOwner owner)
    {
        lock (_lock)
        {
            return _ipam.Lookup(owner);
        }
    }

    public IpamOwner? HolderOf(string subnet, IPAddress address)
    {
        lock (_lock)
        {
            return _ipam.HolderOf(subnet, address);
        }
    }

    public IReadOnlyList<IpamHolding> Holders(string subnet)
    {
        lock (_lock)
        {
            return _ipam.Holders(subnet);
        }
    }

    /// <summary>The figures of every Subnet, ordered by name.</summary>
    public IReadOnlyList<SubnetUsage> GetStatuses()
    {
        lock (_lock)
        {
            return [.. _ipam.SubnetNames.Order(StringComparer.Ordinal).Select(name => _ipam.GetStatus(name)!)];
        }
    }

    public SubnetUsage? GetStatus(string subnet)
    {
        lock (_lock)
        {
            return _ipam.GetStatus(subnet);
        }
    }
}
