using System.Net;
using System.Net.Sockets;
using System.Numerics;
using LbOperator.Ipam;

namespace LbOperator.Tests.Ipam;

/// <summary>
/// The reference model for the property test: the same rules as the IPAM, written the slow, obvious way — every
/// address enumerated, a dictionary of who holds what — with none of the IPAM's range arithmetic.
/// </summary>
internal sealed class IpamModel
{
    private readonly Dictionary<string, SubnetDefinition> _subnets = [];
    private readonly Dictionary<IpamOwner, Held> _held = [];

    public IReadOnlyDictionary<string, SubnetDefinition> Subnets => _subnets;

    public IReadOnlyDictionary<IpamOwner, Held> Holdings => _held;

    public sealed record Held(string Subnet, IReadOnlyList<IPAddress> Addresses);

    public SubnetChange Apply(SubnetDefinition definition)
    {
        if (_subnets.TryGetValue(definition.Name, out var current)
            && !current.Families.Select(f => f.Cidr).SequenceEqual(definition.Families.Select(f => f.Cidr)))
        {
            if (_held.Values.Any(h => h.Subnet == definition.Name))
            {
                return new SubnetChange.Refused("cidr change while held");
            }

            _subnets[definition.Name] = definition;
            return new SubnetChange.Accepted([]);
        }

        _subnets[definition.Name] = definition;
        return new SubnetChange.Accepted(Overlaps(definition));
    }

    public List<HeldAddressOverlap> Overlaps(SubnetDefinition definition)
    {
        var overlaps = new List<HeldAddressOverlap>();
        foreach (var (owner, held) in _held.Where(h => h.Value.Subnet == definition.Name))
        {
            foreach (var address in held.Addresses)
            {
                var family = definition.Family(address.AddressFamily)!;
                if (address.Equals(family.Gateway))
                {
                    overlaps.Add(new HeldAddressOverlap(definition.Name, owner, address, HeldAddressOverlapKind.Gateway));
                }
                else if (family.Excluded.Any(r => r.Contains(address)))
                {
                    overlaps.Add(new HeldAddressOverlap(definition.Name, owner, address, HeldAddressOverlapKind.ExcludeIps));
                }
            }
        }

        return overlaps;
    }

    public AllocationResult Allocate(string subnet, IpamOwner owner, IReadOnlyList<IPAddress> statics)
    {
        if (!_subnets.TryGetValue(subnet, out var definition))
        {
            return new AllocationResult.SubnetNotFound(subnet);
        }

        _held.TryGetValue(owner, out var current);
        var own = current?.Subnet == subnet ? current.Addresses : [];
        var fixedAddresses = new Dictionary<AddressFamily, IPAddress>();
        foreach (var address in statics)
        {
            if (fixedAddresses.ContainsKey(address.AddressFamily))
            {
                return new AllocationResult.Invalid(subnet, "two of a family");
            }

            var family = definition.Family(address.AddressFamily);
            if (family is null || !InCidr(family, address) || !Usable(family).Contains(Number(address)))
            {
                return new AllocationResult.OutOfRange(subnet, address, "");
            }

            if (address.Equals(family.Gateway))
            {
                return new AllocationResult.Conflict(subnet, address, null);
            }

            var holder = HolderOf(subnet, address);
            if (holder is not null && holder != owner)
            {
                return new AllocationResult.Conflict(subnet, address, holder);
            }

            fixedAddresses[address.AddressFamily] = address;
        }

        var targets = new List<IPAddress>();
        foreach (var family in definition.Families)
        {
            if (fixedAddresses.TryGetValue(family.Family, out var fixedAddress))
            {
                targets.Add(fixedAddress);
                continue;
            }

            if (own.FirstOrDefault(a => a.AddressFamily == family.Family) is { } kept)
            {
                targets.Add(kept);
                continue;
            }

            var free = Usable(family)
                .Select(n => ToAddress(n, family.Family))
                .FirstOrDefault(a => !family.Excluded.Any(r => r.Contains(a)) && HolderOf(subnet, a) is null);
            if (free is null)
            {
                return new AllocationResult.Exhausted(subnet, family.Family);
            }

            targets.Add(free);
        }

        var changed = current is null || current.Subnet != subnet || !current.Addresses.SequenceEqual(targets);
        _held[owner] = new Held(subnet, targets);
        return new AllocationResult.Allocated(subnet, targets, changed);
    }

    public bool Release(IpamOwner owner) => _held.Remove(owner);

    public IpamOwner? HolderOf(string subnet, IPAddress address) =>
        _held.FirstOrDefault(h => h.Value.Subnet == subnet && h.Value.Addresses.Contains(address)).Key;

    /// <summary>Status figures by enumeration: (available, using, available range, using range) per family.</summary>
    public FamilyUsage Usage(string subnet, SubnetFamily family)
    {
        var held = _held.Values.Where(h => h.Subnet == subnet).SelectMany(h => h.Addresses)
            .Where(a => a.AddressFamily == family.Family).Select(Number).ToHashSet();
        var excluded = Usable(family).Where(n => family.Excluded.Any(r => r.Contains(ToAddress(n, family.Family)))).ToHashSet();
        var available = Usable(family).Where(n => !excluded.Contains(n) && !held.Contains(n)).ToList();
        var inUse = held.Where(n => !excluded.Contains(n)).Order().ToList();
        return new FamilyUsage((UInt128)available.Count, (UInt128)inUse.Count,
            RangeString(available, family.Family), RangeString(inUse, family.Family));
    }

    private static string RangeString(List<BigInteger> sorted, AddressFamily family)
    {
        var parts = new List<string>();
        for (var i = 0; i < sorted.Count;)
        {
            var j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1)
            {
                j++;
            }

            parts.Add(i == j
                ? ToAddress(sorted[i], family).ToString()
                : $"{ToAddress(sorted[i], family)}-{ToAddress(sorted[j], family)}");
            i = j + 1;
        }

        return string.Join(",", parts);
    }

    private static int Bits(AddressFamily family) => family == AddressFamily.InterNetwork ? 32 : 128;

    private static bool InCidr(SubnetFamily family, IPAddress address)
    {
        var size = BigInteger.One << (Bits(family.Family) - family.Cidr.PrefixLength);
        var first = Number(family.Cidr.BaseAddress);
        var n = Number(address);
        return n >= first && n < first + size;
    }

    private static List<BigInteger> Usable(SubnetFamily family)
    {
        var hostBits = Bits(family.Family) - family.Cidr.PrefixLength;
        var size = BigInteger.One << hostBits;
        var first = Number(family.Cidr.BaseAddress);
        var all = Enumerable.Range(0, (int)size).Select(i => first + i).ToList();
        return hostBits <= 1 ? all : all.Skip(1).SkipLast(1).ToList();
    }

    private static BigInteger Number(IPAddress address) => new(address.GetAddressBytes(), isUnsigned: true, isBigEndian: true);

    private static IPAddress ToAddress(BigInteger value, AddressFamily family)
    {
        var bytes = new byte[Bits(family) / 8];
        var raw = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        raw.CopyTo(bytes, bytes.Length - raw.Length);
        return new IPAddress(bytes);
    }
}
