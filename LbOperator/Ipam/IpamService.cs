using System.Net;
using System.Net.Sockets;

namespace LbOperator.Ipam;

/// <summary>
/// The address manager: Subnets and who holds which of their addresses. Pure (no I/O, no clock, no logging) and
/// <b>not thread-safe</b>: the caller serialises every call (the operator runs it behind one lock).
/// <list type="bullet">
/// <item>Dynamic requests get the lowest free usable address outside excludeIps, per family.</item>
/// <item>Static requests may name any usable address that is not the gateway and not held by another owner,
/// excluded addresses included (as in Kube-OVN).</item>
/// <item>A request for an owner that already holds addresses is idempotent; a changed request moves the owner
/// atomically (nothing changes when the new request fails).</item>
/// <item>Subnet edits never take an address from its holder.</item>
/// </list>
/// Memory and time depend on the number of holders and ranges, not on the size of the CIDR.
/// </summary>
public sealed class IpamService
{
    private readonly Dictionary<string, SubnetPool> _subnets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<IPAddress, string>> _elsewhere = new(StringComparer.Ordinal);
    private readonly Dictionary<OwnerKey, Holding> _holdings = [];

    public IReadOnlyCollection<string> SubnetNames => _subnets.Keys;

    /// <summary>Number of owners holding addresses, over all Subnets.</summary>
    public int HolderCount => _holdings.Count;

    public SubnetDefinition? GetSubnet(string name) => _subnets.TryGetValue(name, out var pool) ? pool.Definition : null;

    /// <summary>
    /// Adds a Subnet or applies an edit. Changing the CIDRs is refused while any address is held; a definition whose
    /// CIDRs share addresses with another Subnet of the same network (vpc and vlan) is refused; gateway and
    /// excludeIps edits always apply and report the held addresses they now cover.
    /// </summary>
    public SubnetChange ApplySubnet(SubnetDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        _subnets.TryGetValue(definition.Name, out var pool);
        if (pool is not null && !SameCidrs(pool.Definition, definition))
        {
            var holders = pool.Holders().ToList();
            if (holders.Count > 0)
            {
                return new SubnetChange.Refused(
                    $"spec.cidrBlock of subnet {definition.Name} cannot change from {pool.Definition.CidrBlock} to " +
                    $"{definition.CidrBlock} while {holders.Count} Service(s) hold addresses from it " +
                    $"({DescribeHolders(holders)}); delete or move those Services first");
            }
        }

        foreach (var other in _subnets.Values)
        {
            if (SubnetOverlap.Between(definition, other.Definition) is { } pair)
            {
                return new SubnetChange.Overlapping(SubnetOverlap.Describe(definition, other.Definition, pair.Mine, pair.Theirs));
            }
        }

        if (pool is null || !SameCidrs(pool.Definition, definition))
        {
            _subnets[definition.Name] = new SubnetPool(definition);
            ApplyElsewhere(definition.Name);
            return new SubnetChange.Accepted([]);
        }

        pool.Redefine(definition);
        return new SubnetChange.Accepted(pool.Overlaps());
    }

    /// <summary>
    /// The addresses of <paramref name="subnetName"/> in use outside this IPAM (Kube-OVN's IPs of pods and its Vips),
    /// each with who uses it; replaces what was set before, and holds for a Subnet added later too. No request is
    /// given one of them; what a holder already has stays its own.
    /// </summary>
    public void SetHeldElsewhere(string subnetName, IReadOnlyDictionary<IPAddress, string> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        if (addresses.Count == 0)
        {
            _elsewhere.Remove(subnetName);
        }
        else
        {
            _elsewhere[subnetName] = new Dictionary<IPAddress, string>(addresses);
        }

        ApplyElsewhere(subnetName);
    }

    private void ApplyElsewhere(string subnetName)
    {
        if (!_subnets.TryGetValue(subnetName, out var pool))
        {
            return;
        }

        var addresses = _elsewhere.GetValueOrDefault(subnetName) ?? [];
        foreach (var family in pool.Families)
        {
            family.SetElsewhere(addresses
                .Where(a => a.Key.AddressFamily == family.Family)
                .ToDictionary(a => IpAddressMath.ToNumber(a.Key), a => a.Value));
        }
    }

    /// <summary>Forgets a Subnet; refused while any address is held from it.</summary>
    public SubnetRemoval RemoveSubnet(string name)
    {
        if (!_subnets.TryGetValue(name, out var pool))
        {
            return new SubnetRemoval.NotFound();
        }

        var holders = pool.Holders().Select(h => h.ToHolding()).OrderBy(h => h.Owner.Key, StringComparer.Ordinal).ToList();
        if (holders.Count > 0)
        {
            return new SubnetRemoval.Refused(
                $"subnet {name} still hands addresses to {holders.Count} Service(s) ({DescribeHolders(holders)})", holders);
        }

        _subnets.Remove(name);
        return new SubnetRemoval.Removed();
    }

    /// <summary>Gives <paramref name="owner"/> addresses from <paramref name="subnetName"/>; see the class summary.</summary>
    public AllocationResult Allocate(string subnetName, IpamOwner owner, AddressRequest request)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(request);
        if (!_subnets.TryGetValue(subnetName, out var pool))
        {
            return new AllocationResult.SubnetNotFound(subnetName);
        }

        _holdings.TryGetValue(owner.ToKey(), out var existing);
        // The current holding of this key (or of a deleted Service with the same name) gives way to the new request.
        var replaced = existing?.Pool == pool ? existing : null;
        var sameOwner = existing is not null && existing.Owner == owner;

        Dictionary<AddressFamily, UInt128>? statics = null;
        foreach (var address in request.StaticAddresses)
        {
            statics ??= [];
            if (CheckStatic(pool, address, replaced, request.HandedOverBy, statics) is { } failure)
            {
                return failure;
            }
        }

        var targets = new UInt128[pool.Families.Length];
        for (var i = 0; i < pool.Families.Length; i++)
        {
            var family = pool.Families[i];
            if (statics is not null && statics.TryGetValue(family.Family, out var fixedAddress))
            {
                targets[i] = fixedAddress;
            }
            else if (sameOwner && replaced is not null && replaced.TryGet(family.Family, out var kept))
            {
                targets[i] = kept;
            }
            else if (family.LowestFree(replaced) is { } free)
            {
                targets[i] = free;
            }
            else
            {
                return new AllocationResult.Exhausted(subnetName, family.Family);
            }
        }

        var addresses = pool.Families.Select((f, i) => IpAddressMath.ToAddress(targets[i], f.Family)).ToList();
        if (sameOwner && replaced is not null && replaced.Matches(targets))
        {
            return new AllocationResult.Allocated(subnetName, addresses, Changed: false);
        }

        if (existing is not null)
        {
            Drop(existing);
        }

        var holding = new Holding(owner, pool);
        for (var i = 0; i < pool.Families.Length; i++)
        {
            holding.Set(pool.Families[i].Family, targets[i]);
            pool.Families[i].Take(targets[i], holding);
        }

        _holdings[owner.ToKey()] = holding;
        return new AllocationResult.Allocated(subnetName, addresses, Changed: true);
    }

    /// <summary>Releases what <paramref name="owner"/> holds (same key and uid); returns it, or null when it held nothing.</summary>
    public IpamHolding? Release(IpamOwner owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (!_holdings.TryGetValue(owner.ToKey(), out var holding) || holding.Owner.Uid != owner.Uid)
        {
            return null;
        }

        var released = holding.ToHolding();
        Drop(holding);
        return released;
    }

    /// <summary>
    /// Replaces every holding with the recorded ones, before any new request is served. Records are adopted most
    /// trusted source first (<see cref="RecordSource"/>), then oldest owner first (then by key and uid), so when two
    /// records name the same address, or the same Service twice, the more trusted and then the older keeps it and
    /// the other is reported. A record is never adopted for the Subnet's gateway, its network or broadcast address,
    /// or an address outside its CIDR. Subnets stay as applied.
    /// </summary>
    public RebuildReport Rebuild(IEnumerable<RecordedAllocation> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        _holdings.Clear();
        foreach (var pool in _subnets.Values)
        {
            pool.Clear();
        }

        var ordered = records.ToArray();
        Array.Sort(ordered, OlderFirst);
        _holdings.EnsureCapacity(ordered.Length);
        var adopted = new List<IpamHolding>(ordered.Length);
        var conflicts = new List<RebuildConflict>();
        var rejected = new List<RebuildRejection>();
        var taken = new Dictionary<FamilyPool, List<UInt128>>();
        var sources = new Dictionary<Holding, RecordSource>(ReferenceEqualityComparer.Instance);
        foreach (var record in ordered)
        {
            if (_holdings.TryGetValue(record.Owner.ToKey(), out var twin))
            {
                conflicts.Add(new RebuildConflict(record, null, twin.Owner, sources[twin]));
                continue;
            }

            if (!_subnets.TryGetValue(record.Subnet, out var pool))
            {
                rejected.Add(new RebuildRejection(record, $"subnet {record.Subnet} does not exist (or is not valid)"));
                continue;
            }

            var holding = new Holding(record.Owner, pool);
            if (CheckRecord(pool, record, holding) is { } reason)
            {
                rejected.Add(new RebuildRejection(record, reason));
                continue;
            }

            if (FindClash(pool, holding) is { } clash)
            {
                conflicts.Add(new RebuildConflict(
                    record, IpAddressMath.ToAddress(clash.Address, clash.Family.Family), clash.Holder.Owner, sources[clash.Holder]));
                continue;
            }

            foreach (var family in pool.Families)
            {
                if (!holding.TryGet(family.Family, out var address))
                {
                    continue;
                }

                family.HolderByAddress[address] = holding;
                if (!taken.TryGetValue(family, out var list))
                {
                    taken[family] = list = [];
                }

                list.Add(address);
            }

            _holdings[record.Owner.ToKey()] = holding;
            sources[holding] = record.Source;
            adopted.Add(holding.ToHolding());
        }

        // Range sets are built once from sorted addresses: O(n log n) for n records, whatever their order.
        foreach (var (family, addresses) in taken)
        {
            addresses.Sort();
            family.AdoptHeld(IpRangeSet.FromSorted(family.Family, addresses));
        }

        var overlaps = _subnets.Values.SelectMany(p => p.Overlaps()).ToList();
        return new RebuildReport(adopted, conflicts, rejected, overlaps);
    }

    /// <summary>Everyone holding addresses of <paramref name="subnetName"/>, ordered by namespace/name.</summary>
    public IReadOnlyList<IpamHolding> Holders(string subnetName) =>
        _subnets.TryGetValue(subnetName, out var pool)
            ? [.. pool.Holders().Select(h => h.ToHolding()).OrderBy(h => h.Owner.Key, StringComparer.Ordinal)]
            : [];

    /// <summary>What <paramref name="owner"/> (same key and uid) holds, or null.</summary>
    public IpamHolding? Lookup(IpamOwner owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return _holdings.TryGetValue(owner.ToKey(), out var holding) && holding.Owner == owner ? holding.ToHolding() : null;
    }

    /// <summary>Who holds <paramref name="address"/> in <paramref name="subnetName"/>, or null.</summary>
    public IpamOwner? HolderOf(string subnetName, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return _subnets.TryGetValue(subnetName, out var pool)
            && pool.Family(address.AddressFamily) is { } family
            && family.HolderByAddress.TryGetValue(IpAddressMath.ToNumber(address), out var holding)
                ? holding.Owner
                : null;
    }

    /// <summary>The Subnet's status figures (see <see cref="SubnetUsage"/>), or null for an unknown Subnet.</summary>
    public SubnetUsage? GetStatus(string subnetName) =>
        _subnets.TryGetValue(subnetName, out var pool)
            ? new SubnetUsage(subnetName,
                pool.Family(AddressFamily.InterNetwork)?.Usage(),
                pool.Family(AddressFamily.InterNetworkV6)?.Usage())
            : null;

    /// <summary>Most trusted source first, then oldest owner; ties broken by namespace, name and uid so that the input order never matters.</summary>
    private static int OlderFirst(RecordedAllocation a, RecordedAllocation b)
    {
        var order = a.Source.CompareTo(b.Source);
        order = order != 0 ? order : a.OwnerCreated.CompareTo(b.OwnerCreated);
        order = order != 0 ? order : string.CompareOrdinal(a.Owner.Namespace, b.Owner.Namespace);
        order = order != 0 ? order : string.CompareOrdinal(a.Owner.Name, b.Owner.Name);
        return order != 0 ? order : string.CompareOrdinal(a.Owner.Uid, b.Owner.Uid);
    }

    /// <summary>The first address of <paramref name="holding"/> already adopted for someone else, if any.</summary>
    private static (FamilyPool Family, UInt128 Address, Holding Holder)? FindClash(SubnetPool pool, Holding holding)
    {
        foreach (var family in pool.Families)
        {
            if (holding.TryGet(family.Family, out var address) && family.HolderByAddress.TryGetValue(address, out var holder))
            {
                return (family, address, holder);
            }
        }

        return null;
    }

    private static AllocationResult? CheckStatic(
        SubnetPool pool, IPAddress address, Holding? replaced, string? handedOverBy, Dictionary<AddressFamily, UInt128> statics)
    {
        var subnet = pool.Definition.Name;
        if (!IpAddressMath.IsSupported(address.AddressFamily))
        {
            return new AllocationResult.Invalid(subnet, $"{address} is not an IPv4 or IPv6 address");
        }

        var name = IpAddressMath.FamilyName(address.AddressFamily);
        if (statics.ContainsKey(address.AddressFamily))
        {
            return new AllocationResult.Invalid(subnet,
                $"more than one {name} address requested ({address} is the second); ask for at most one address per family");
        }

        if (pool.Family(address.AddressFamily) is not { } family)
        {
            return new AllocationResult.OutOfRange(subnet, address,
                $"the subnet has no {name} CIDR (cidrBlock {pool.Definition.CidrBlock})");
        }

        var value = IpAddressMath.ToNumber(address);
        var definition = family.Definition;
        if (!definition.All.Contains(address))
        {
            return new AllocationResult.OutOfRange(subnet, address,
                $"it is not inside {definition.Cidr}; use an address of {definition.Usable}");
        }

        if (!definition.Usable.Contains(address))
        {
            var which = address.Equals(definition.Cidr.BaseAddress) ? "the network address"
                : address.AddressFamily == AddressFamily.InterNetworkV6 ? "the last address, never handed out,"
                : "the broadcast address";
            return new AllocationResult.OutOfRange(subnet, address,
                $"it is {which} of {definition.Cidr}; use an address of {definition.Usable}");
        }

        if (value == family.Gateway)
        {
            return new AllocationResult.Conflict(subnet, address, null);
        }

        var own = replaced is not null && replaced.TryGet(address.AddressFamily, out var held) && held == value;
        if (!own && family.HolderElsewhere(value) is { } elsewhere && elsewhere != handedOverBy)
        {
            return new AllocationResult.HeldElsewhere(subnet, address, elsewhere);
        }

        if (family.HolderByAddress.TryGetValue(value, out var holder) && holder != replaced)
        {
            return new AllocationResult.Conflict(subnet, address, holder.Owner);
        }

        statics[address.AddressFamily] = value;
        return null;
    }

    private static string? CheckRecord(SubnetPool pool, RecordedAllocation record, Holding holding)
    {
        if (record.Addresses.Count == 0)
        {
            return "the record names no address";
        }

        foreach (var address in record.Addresses)
        {
            var name = IpAddressMath.FamilyName(address.AddressFamily);
            if (!IpAddressMath.IsSupported(address.AddressFamily) || pool.Family(address.AddressFamily) is not { } family)
            {
                return $"{address} does not belong to subnet {record.Subnet} (cidrBlock {pool.Definition.CidrBlock})";
            }

            if (holding.TryGet(address.AddressFamily, out _))
            {
                return $"the record names more than one {name} address";
            }

            if (!family.Definition.All.Contains(address))
            {
                return $"{address} is outside {family.Definition.Cidr}, the {name} CIDR of subnet {record.Subnet}";
            }

            if (!family.Definition.Usable.Contains(address))
            {
                var which = address.Equals(family.Definition.Cidr.BaseAddress) ? "network" : "broadcast";
                return $"{address} is the {which} address of {family.Definition.Cidr} in subnet {record.Subnet}";
            }

            // The router's address on a gateway's net1 (announced by gratuitous ARP) would take the network down.
            if (IpAddressMath.ToNumber(address) == family.Gateway)
            {
                return $"{address} is the gateway of subnet {record.Subnet}";
            }

            holding.Set(address.AddressFamily, IpAddressMath.ToNumber(address));
        }

        return null;
    }

    private static bool SameCidrs(SubnetDefinition a, SubnetDefinition b) =>
        a.Families.Select(f => f.Cidr).SequenceEqual(b.Families.Select(f => f.Cidr));

    private static string DescribeHolders(IEnumerable<Holding> holders) =>
        DescribeHolders(holders.Select(h => h.ToHolding()).OrderBy(h => h.Owner.Key, StringComparer.Ordinal));

    private static string DescribeHolders(IEnumerable<IpamHolding> holders)
    {
        var list = holders.ToList();
        var shown = string.Join(", ", list.Take(3).Select(h => $"{h.Owner} holds {string.Join(",", h.Addresses)}"));
        return list.Count > 3 ? $"{shown}, …" : shown;
    }

    private void Drop(Holding holding)
    {
        foreach (var family in holding.Pool.Families)
        {
            if (holding.TryGet(family.Family, out var address))
            {
                family.Give(address);
            }
        }

        _holdings.Remove(holding.Owner.ToKey());
    }

    /// <summary>The addresses of one owner; numbers rather than IPAddress objects keep a holding small.</summary>
    private sealed class Holding(IpamOwner owner, SubnetPool pool)
    {
        private UInt128 _v4;
        private UInt128 _v6;
        private bool _hasV4;
        private bool _hasV6;

        public IpamOwner Owner { get; } = owner;

        public SubnetPool Pool { get; } = pool;

        public void Set(AddressFamily family, UInt128 address)
        {
            if (family == AddressFamily.InterNetwork)
            {
                (_v4, _hasV4) = (address, true);
            }
            else
            {
                (_v6, _hasV6) = (address, true);
            }
        }

        public bool TryGet(AddressFamily family, out UInt128 address)
        {
            (address, var has) = family == AddressFamily.InterNetwork ? (_v4, _hasV4) : (_v6, _hasV6);
            return has;
        }

        public UInt128 Get(AddressFamily family) =>
            TryGet(family, out var address) ? address : throw new InvalidOperationException($"{Owner} holds no {family} address");

        public bool Matches(UInt128[] targets) =>
            Pool.Families.Select((f, i) => TryGet(f.Family, out var held) && held == targets[i]).All(x => x);

        public IpamHolding ToHolding() => new(Owner, Pool.Definition.Name,
            [.. Pool.Families.Where(f => TryGet(f.Family, out _)).Select(f => IpAddressMath.ToAddress(Get(f.Family), f.Family))]);
    }

    private sealed class SubnetPool
    {
        public SubnetPool(SubnetDefinition definition)
        {
            Definition = definition;
            Families = [.. definition.Families.Select(f => new FamilyPool(f))];
        }

        public SubnetDefinition Definition { get; private set; }

        public FamilyPool[] Families { get; }

        public FamilyPool? Family(AddressFamily family)
        {
            foreach (var pool in Families)
            {
                if (pool.Family == family)
                {
                    return pool;
                }
            }

            return null;
        }

        public void Redefine(SubnetDefinition definition)
        {
            Definition = definition;
            foreach (var family in Families)
            {
                family.Redefine(definition.Family(family.Family)!);
            }
        }

        public void Clear()
        {
            foreach (var family in Families)
            {
                family.AdoptHeld(new IpRangeSet(family.Family));
            }
        }

        /// <summary>Each holder once: those with an IPv4 address, then IPv6-only ones.</summary>
        public IEnumerable<Holding> Holders()
        {
            var seen = new HashSet<Holding>(ReferenceEqualityComparer.Instance);
            return Families.SelectMany(f => f.HolderByAddress.Values).Where(seen.Add);
        }

        public IReadOnlyList<HeldAddressOverlap> Overlaps() =>
            [.. Families.SelectMany(f => f.Overlaps(Definition.Name))];
    }

    private sealed class FamilyPool
    {
        private IpRangeSet _excluded;
        private IpRangeSet _held;

        /// <summary>Excluded ∪ held ∪ held elsewhere: what a dynamic request must skip.</summary>
        private IpRangeSet _blocked;

        /// <summary>Addresses in use outside this IPAM, and by whom.</summary>
        private Dictionary<UInt128, string> _elsewhere = [];

        private IpRangeSet _elsewhereSet;

        public FamilyPool(SubnetFamily definition)
        {
            Definition = definition;
            _held = new IpRangeSet(definition.Family);
            _excluded = IpRangeSet.FromRanges(definition.Family, definition.Excluded);
            _elsewhereSet = new IpRangeSet(definition.Family);
            _blocked = _excluded.Clone();
            Gateway = IpAddressMath.ToNumber(definition.Gateway);
        }

        public SubnetFamily Definition { get; private set; }

        public AddressFamily Family => Definition.Family;

        public UInt128 Gateway { get; private set; }

        public Dictionary<UInt128, Holding> HolderByAddress { get; } = [];

        public void Redefine(SubnetFamily definition)
        {
            Definition = definition;
            Gateway = IpAddressMath.ToNumber(definition.Gateway);
            _excluded = IpRangeSet.FromRanges(definition.Family, definition.Excluded);
            _blocked = _excluded.Union(_held).Union(_elsewhereSet);
        }

        /// <summary>Replaces the addresses in use outside this IPAM (each with who uses it).</summary>
        public void SetElsewhere(IReadOnlyDictionary<UInt128, string> elsewhere)
        {
            _elsewhere = new Dictionary<UInt128, string>(elsewhere);
            _elsewhereSet = new IpRangeSet(Family);
            foreach (var address in _elsewhere.Keys)
            {
                _elsewhereSet.Add(address, address);
            }

            _blocked = _excluded.Union(_held).Union(_elsewhereSet);
        }

        public string? HolderElsewhere(UInt128 address) => _elsewhere.GetValueOrDefault(address);

        public void AdoptHeld(IpRangeSet held)
        {
            if (held.IsEmpty)
            {
                HolderByAddress.Clear();
            }

            _held = held;
            _blocked = _excluded.Union(_held).Union(_elsewhereSet);
        }

        /// <summary>The lowest usable address outside excludeIps that nobody holds, counting <paramref name="leaving"/>'s address as free.</summary>
        public UInt128? LowestFree(Holding? leaving)
        {
            var usable = Definition.Usable;
            var free = _blocked.FirstFree(IpAddressMath.ToNumber(usable.Start), IpAddressMath.ToNumber(usable.End));
            if (leaving is not null && leaving.TryGet(Family, out var own) && !_excluded.Contains(own)
                && (free is null || own < free))
            {
                return own;
            }

            return free;
        }

        public void Take(UInt128 address, Holding holding)
        {
            _held.Add(address, address);
            _blocked.Add(address, address);
            HolderByAddress[address] = holding;
        }

        public void Give(UInt128 address)
        {
            _held.Remove(address, address);
            HolderByAddress.Remove(address);
            if (!_excluded.Contains(address) && !_elsewhere.ContainsKey(address))
            {
                _blocked.Remove(address, address);
            }
        }

        public FamilyUsage Usage()
        {
            var usable = IpRangeSet.FromRanges(Family, [Definition.Usable]);
            var available = usable.Except(_blocked);
            var inUse = _held.Except(_excluded);
            return new FamilyUsage(available.Count, inUse.Count, available.ToKubeOvnString(), inUse.ToKubeOvnString());
        }

        public IEnumerable<HeldAddressOverlap> Overlaps(string subnet)
        {
            foreach (var (first, last) in _held.CommonSpans(_excluded))
            {
                for (var address = first; ; address++)
                {
                    var kind = address == Gateway ? HeldAddressOverlapKind.Gateway : HeldAddressOverlapKind.ExcludeIps;
                    yield return new HeldAddressOverlap(subnet, HolderByAddress[address].Owner, IpAddressMath.ToAddress(address, Family), kind);
                    if (address == last)
                    {
                        break;
                    }
                }
            }
        }
    }
}
