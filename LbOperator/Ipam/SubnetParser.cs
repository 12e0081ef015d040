using System.Net;
using System.Net.Sockets;
using LbOperator.Entities;

namespace LbOperator.Ipam;

/// <summary>
/// Turns a <see cref="V1Subnet"/> into a <see cref="SubnetDefinition"/>, defaulting and normalising like Kube-OVN
/// (host bits cleared, gateway = first usable address per family, protocol derived from cidrBlock, gateway always
/// excluded, overlapping excludes merged) and reporting every invalid value with what would be accepted.
/// </summary>
public static class SubnetParser
{
    private const string CidrExamples =
        "use an IPv4 CIDR (10.0.0.0/24), an IPv6 CIDR (fd00::/64) or one of each, comma-separated (\"10.0.0.0/24,fd00::/64\")";

    private static readonly IReadOnlyList<(IPNetwork Block, string What)> SpecialBlocks =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "\"this network\" (0.0.0.0/8)"),
        (IPNetwork.Parse("127.0.0.0/8"), "loopback (127.0.0.0/8)"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local (169.254.0.0/16)"),
        (IPNetwork.Parse("224.0.0.0/4"), "multicast (224.0.0.0/4)"),
        (IPNetwork.Parse("255.255.255.255/32"), "the broadcast address (255.255.255.255)"),
        (IPNetwork.Parse("::/128"), "the unspecified address (::)"),
        (IPNetwork.Parse("::1/128"), "loopback (::1)"),
        (IPNetwork.Parse("::ffff:0:0/96"), "IPv4-mapped (::ffff:0:0/96)"),
        (IPNetwork.Parse("fe80::/10"), "link-local (fe80::/10)"),
        (IPNetwork.Parse("ff00::/8"), "multicast (ff00::/8)"),
    ];

    public static SubnetParseResult Parse(V1Subnet subnet)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        var name = subnet.Metadata?.Name;
        var errors = new List<SubnetValidationError>();
        if (string.IsNullOrWhiteSpace(name))
        {
            errors.Add(new SubnetValidationError("<unnamed>", "metadata.name", name ?? "",
                "is required; give the Subnet a name"));
            name = "<unnamed>";
        }

        var spec = subnet.Spec ?? new V1SubnetSpec();
        var report = new Reporter(name, errors);
        var cidrs = ParseCidrBlock(spec.CidrBlock, report);
        CheckProtocol(spec.Protocol, report);
        var gateways = cidrs.Count > 0 ? ParseGateways(spec.Gateway, cidrs, report) : [];
        var excludes = cidrs.Count > 0 ? ParseExcludes(spec.ExcludeIps, cidrs, report) : [];
        if (errors.Count > 0)
        {
            return SubnetParseResult.Invalid(errors);
        }

        var families = new List<SubnetFamily>();
        var normalizedExcludes = new List<IpRange>();
        foreach (var cidr in cidrs)
        {
            var family = cidr.BaseAddress.AddressFamily;
            var usable = UsableRange(cidr);
            var gateway = gateways[family];
            var excluded = excludes.GetValueOrDefault(family) ?? new IpRangeSet(family);
            excluded.Add(gateway);
            normalizedExcludes.AddRange(excluded.Ranges);
            families.Add(new SubnetFamily(family, cidr, gateway, usable, [.. excluded.Within(usable).Ranges]));
        }

        var derived = families.Count == 2 ? IpProtocol.Dual
            : families[0].Family == AddressFamily.InterNetwork ? IpProtocol.IPv4 : IpProtocol.IPv6;
        var provider = string.IsNullOrWhiteSpace(spec.Provider) ? SubnetDefinition.OvnProvider : spec.Provider.Trim();
        var vpc = spec.Vpc?.Trim() ?? "";
        return SubnetParseResult.Valid(new SubnetDefinition(name, provider, derived, families, normalizedExcludes)
        {
            // Kube-OVN's formatSubnet: a Subnet of its own networks without a VPC is in the default one.
            Vpc = vpc.Length == 0 && SubnetDefinition.IsOvnProvider(provider) ? SubnetDefinition.DefaultVpc : vpc,
            Vlan = spec.Vlan?.Trim() ?? "",
        });
    }

    /// <summary>The addresses handed out: network+1 .. broadcast-1, or the whole prefix for /31 and /127.</summary>
    public static IpRange UsableRange(IPNetwork cidr)
    {
        var all = IpRange.Of(cidr);
        var family = cidr.BaseAddress.AddressFamily;
        if (cidr.PrefixLength >= IpAddressMath.BitCount(family) - 1)
        {
            return all;
        }

        return new IpRange(
            IpAddressMath.ToAddress(IpAddressMath.ToNumber(all.Start) + 1, family),
            IpAddressMath.ToAddress(IpAddressMath.ToNumber(all.End) - 1, family));
    }

    /// <summary>
    /// The addresses a gateway may have: the usable range, and for IPv6 also the last address of the prefix. IPv6
    /// has no broadcast address (RFC 4291), so Kube-OVN accepts that address as a gateway, although its pool (and
    /// ours, <see cref="UsableRange"/>) still ends one before it.
    /// </summary>
    public static IpRange GatewayRange(IPNetwork cidr)
    {
        var usable = UsableRange(cidr);
        return cidr.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6 && !usable.Equals(IpRange.Of(cidr))
            ? new IpRange(usable.Start, IpRange.Of(cidr).End)
            : usable;
    }

    private static List<IPNetwork> ParseCidrBlock(string? cidrBlock, Reporter report)
    {
        const string field = "spec.cidrBlock";
        if (string.IsNullOrWhiteSpace(cidrBlock))
        {
            report.Add(field, cidrBlock ?? "", $"is required; {CidrExamples}");
            return [];
        }

        var cidrs = new List<IPNetwork>();
        foreach (var part in cidrBlock.Split(',').Select(p => p.Trim()))
        {
            if (!IpAddressText.TryParseCidr(part, out var address, out var prefix))
            {
                report.Add(field, part, $"is not a CIDR (address/prefix); {CidrExamples}");
                continue;
            }

            if (HasUpperCase(part, field, report))
            {
                continue;
            }

            var family = address.AddressFamily;
            var bits = IpAddressMath.BitCount(family);
            if (prefix == bits)
            {
                report.Add(field, part,
                    $"is a single address and leaves nothing to hand out; use a prefix of /{bits - 1} or shorter");
                continue;
            }

            var cidr = IpAddressText.Normalize(address, prefix);
            var special = SpecialBlocks.FirstOrDefault(s => s.Block.BaseAddress.AddressFamily == family
                && Overlap(IpRange.Of(s.Block), IpRange.Of(cidr)));
            if (special.What is not null)
            {
                report.Add(field, part,
                    $"overlaps {special.What}, which cannot hold unicast addresses; use a global unicast network such as 10.0.0.0/24 or fd00::/64");
                continue;
            }

            if (Find(cidrs, family) is { } same)
            {
                report.Add(field, part,
                    $"is a second {IpAddressMath.FamilyName(family)} CIDR after {same}; use at most one IPv4 and one IPv6 CIDR");
                continue;
            }

            cidrs.Add(cidr);
        }

        return [.. cidrs.OrderBy(c => c.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 0 : 1)];
    }

    private static void CheckProtocol(string? protocol, Reporter report)
    {
        // Kube-OVN always overwrites spec.protocol from cidrBlock; only values it would never accept are errors.
        if (!string.IsNullOrWhiteSpace(protocol) && !Enum.GetNames<IpProtocol>().Contains(protocol, StringComparer.Ordinal))
        {
            report.Add("spec.protocol", protocol,
                "is not a protocol; use IPv4, IPv6 or Dual, or leave it empty (it is derived from spec.cidrBlock)");
        }
    }

    private static Dictionary<AddressFamily, IPAddress> ParseGateways(string? gateway, List<IPNetwork> cidrs, Reporter report)
    {
        const string field = "spec.gateway";
        var gateways = new Dictionary<AddressFamily, IPAddress>();
        var parts = string.IsNullOrWhiteSpace(gateway) ? [] : gateway.Split(',').Select(p => p.Trim()).ToArray();
        foreach (var part in parts)
        {
            if (!IpAddressText.TryParseAddress(part, out var address))
            {
                report.Add(field, part, $"is not an IP address; use one address per family of spec.cidrBlock, {Describe(cidrs)}");
                continue;
            }

            if (HasUpperCase(part, field, report))
            {
                continue;
            }

            var family = address.AddressFamily;
            if (Find(cidrs, family) is not { } cidr)
            {
                report.Add(field, part,
                    $"is an {IpAddressMath.FamilyName(family)} address but spec.cidrBlock {string.Join(',', cidrs)} has no {IpAddressMath.FamilyName(family)} CIDR; use {Describe(cidrs)}");
                continue;
            }

            if (gateways.TryGetValue(family, out var first))
            {
                report.Add(field, part,
                    $"is a second {IpAddressMath.FamilyName(family)} gateway after {first}; use one address per family");
                continue;
            }

            var allowed = GatewayRange(cidr);
            if (!IpRange.Of(cidr).Contains(address))
            {
                report.Add(field, part, $"is not inside spec.cidrBlock {cidr}; use an address of {allowed}");
                continue;
            }

            if (!allowed.Contains(address))
            {
                var which = address.Equals(cidr.BaseAddress) ? "network" : "broadcast";
                report.Add(field, part, $"is the {which} address of {cidr}; use an address of {allowed}");
                continue;
            }

            gateways[family] = address;
        }

        // Default, and Kube-OVN's completion of a dual-stack Subnet given one gateway: first usable address.
        foreach (var cidr in cidrs)
        {
            gateways.TryAdd(cidr.BaseAddress.AddressFamily, UsableRange(cidr).Start);
        }

        return gateways;
    }

    private static Dictionary<AddressFamily, IpRangeSet> ParseExcludes(IList<string>? excludeIps, List<IPNetwork> cidrs, Reporter report)
    {
        var sets = new Dictionary<AddressFamily, IpRangeSet>();
        for (var i = 0; i < (excludeIps?.Count ?? 0); i++)
        {
            var field = $"spec.excludeIps[{i}]";
            var entry = excludeIps![i] ?? "";
            var range = ParseExcludeEntry(entry.Trim(), field, report);
            if (range is null)
            {
                continue;
            }

            var family = range.Family;
            if (Find(cidrs, family) is not { } cidr)
            {
                report.Add(field, entry,
                    $"is {IpAddressMath.FamilyName(family)} but spec.cidrBlock {string.Join(',', cidrs)} has no {IpAddressMath.FamilyName(family)} CIDR; use {string.Join(" or ", cidrs.Select(c => $"addresses of {UsableRange(c)}"))}");
                continue;
            }

            if (!Overlap(range, IpRange.Of(cidr)))
            {
                report.Add(field, entry, $"is outside spec.cidrBlock {cidr}; use addresses of {UsableRange(cidr)}");
                continue;
            }

            if (!sets.TryGetValue(family, out var set))
            {
                sets[family] = set = new IpRangeSet(family);
            }

            set.Add(range);
        }

        return sets;
    }

    private static IpRange? ParseExcludeEntry(string entry, string field, Reporter report)
    {
        const string accepted = "use an address (172.18.0.5) or an inclusive range start..end (172.18.0.5..172.18.0.9)";
        var parts = entry.Split("..");
        if (entry.Length == 0 || parts.Length > 2)
        {
            report.Add(field, entry, $"is not an address or a range; {accepted}");
            return null;
        }

        if (!IpAddressText.TryParseAddress(parts[0], out var start)
            || !IpAddressText.TryParseAddress(parts[^1], out var end))
        {
            report.Add(field, entry, $"is not an address or a range; {accepted}");
            return null;
        }

        if (start.AddressFamily != end.AddressFamily)
        {
            report.Add(field, entry, $"mixes IPv4 and IPv6; {accepted}");
            return null;
        }

        if (IpAddressMath.ToNumber(start) > IpAddressMath.ToNumber(end))
        {
            report.Add(field, entry, $"ends before it starts; write the lower address first ({end}..{start})");
            return null;
        }

        return HasUpperCase(entry, field, report) ? null : new IpRange(start, end);
    }

    /// <summary>Kube-OVN's webhook refuses upper-case hex in every IPv6 field; so does this parser, with the fix.</summary>
    private static bool HasUpperCase(string value, string field, Reporter report)
    {
        if (!value.Any(char.IsAsciiLetterUpper))
        {
            return false;
        }

        report.Add(field, value,
            $"has upper-case hex digits, which Kube-OVN refuses in IPv6 addresses; write it in lower case ({value.ToLowerInvariant()})");
        return true;
    }

    private static bool Overlap(IpRange a, IpRange b) =>
        IpAddressMath.ToNumber(a.Start) <= IpAddressMath.ToNumber(b.End)
        && IpAddressMath.ToNumber(b.Start) <= IpAddressMath.ToNumber(a.End);

    private static IPNetwork? Find(List<IPNetwork> cidrs, AddressFamily family) =>
        cidrs.Where(c => c.BaseAddress.AddressFamily == family).Select(c => (IPNetwork?)c).FirstOrDefault();

    private static string Describe(IEnumerable<IPNetwork> cidrs) =>
        string.Join(" or ", cidrs.Select(c => $"an {IpAddressMath.FamilyName(c.BaseAddress.AddressFamily)} address of {GatewayRange(c)}"));

    private sealed class Reporter(string subnet, List<SubnetValidationError> errors)
    {
        public void Add(string field, string value, string message) =>
            errors.Add(new SubnetValidationError(subnet, field, value, message));
    }
}
