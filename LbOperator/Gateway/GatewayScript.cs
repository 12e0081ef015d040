using System.Globalization;
using System.Net;
using System.Text;

namespace LbOperator.Gateway;

/// <summary>
/// Renders the gateway pod's POSIX sh scripts from a <see cref="GatewayPlan"/>. The text depends only on the plan
/// (no clock, no randomness), so the pod template changes exactly when the plan does. Only typed values are
/// written into the scripts: addresses, prefix lengths, port numbers and fixed words.
/// </summary>
public static class GatewayScript
{
    /// <summary>The routing table that holds the gateway's routes (as in Kube-OVN).</summary>
    public const int RouteTable = 100;

    public const string PhysicalInterface = "net1";
    public const string ClusterInterface = "eth0";

    /// <summary>The chains the script owns; each is replaced as a whole on every run.</summary>
    public const string PreroutingChain = "LBSVC-PREROUTING";
    public const string DnatChain = "LBSVC-DNAT";
    public const string PostroutingChain = "LBSVC-POSTROUTING";
    public const string InputChain = "LBSVC-INPUT";
    public const string ForwardChain = "LBSVC-FORWARD";

    // multiport takes at most 15 ports a rule (a range counts twice).
    private const int MultiportSlots = 15;

    // A -s list per rule stays well inside iptables-restore's line buffer, whatever the families.
    private const int MaxListLength = 2000;
    private const int MaxListEntries = 64;

    // Rule priorities shown by `ip rule`: the same numbers Kube-OVN's gateway ends up with.
    private const int LoadBalancerAddressRulePriority = 32763;
    private const int ClusterInterfaceRulePriority = 32764;
    private const int PhysicalInterfaceRulePriority = 32765;

    private const string Prelude = """
        #!/bin/sh
        # LbOperator gateway: generated from validated values only. Running it again changes nothing: addresses,
        # rules and routes are replaced in place and the LBSVC-* iptables chains are rewritten as a whole.
        set -eu

        # Writes a kernel setting only where it differs, so a re-run needs no write access to /proc/sys.
        ensure_sysctl() {
          if [ "$(cat "/proc/sys/$1")" != "$2" ]; then
            echo "$2" > "/proc/sys/$1"
          fi
        }

        # Adds the policy rule "<selector> lookup 100" once: ensure_rule <family> <priority> <selector...>.
        ensure_rule() {
          family=$1
          priority=$2
          shift 2
          if [ -z "$(ip "$family" rule show "$@" lookup 100)" ]; then
            ip "$family" rule add "$@" lookup 100 pref "$priority"
          fi
        }

        # Prints eth0's default gateway, whatever the CNI; nothing when eth0 has none (point-to-point).
        eth0_gateway() {
          ip "$1" route show default dev eth0 | while read -r _ via address _; do
            if [ "$via" = via ]; then
              echo "$address"
              break
            fi
          done
        }

        # Routes a ClusterIP out of eth0 in table 100: via eth0's gateway, or straight out of eth0 without one.
        route_cluster_ip() {
          gateway=$(eth0_gateway "$1")
          if [ -n "$gateway" ]; then
            ip "$1" route replace "$2" via "$gateway" dev eth0 onlink table 100
          else
            ip "$1" route replace "$2" dev eth0 table 100
          fi
        }

        # Jumps from a built-in chain to one of ours, once, ahead of anything else.
        ensure_jump() {
          "$1" -w -t "$2" -C "$3" -j "$4" 2>/dev/null || "$1" -w -t "$2" -I "$3" 1 -j "$4"
        }

        # Waits for IPv6 duplicate address detection on net1 to finish; fails when the address is taken.
        wait_dad() {
          tries=0
          while [ -n "$(ip -6 addr show dev net1 tentative to "$1")" ]; do
            tries=$((tries + 1))
            if [ "$tries" -gt 50 ]; then
              echo "lbsvc: $1 is still tentative on net1" >&2
              return 1
            fi
            sleep 0.2 2>/dev/null || sleep 1
          done
          if [ -n "$(ip -6 addr show dev net1 dadfailed to "$1")" ]; then
            echo "lbsvc: $1 is already in use on the network (duplicate address detection failed)" >&2
            return 1
          fi
        }

        """;

    // A highly available gateway's VRRP advertisements need an IPv4 source on net1: a link-local address, one per pod.
    private const string VrrpSourceFunction = """
        # Prints net1's VRRP source address: IPv4 link-local, from the last two bytes of net1's MAC address.
        vrrp_source() {
          set -- $(ip -br link show dev net1)
          saved_ifs=$IFS
          IFS=:
          set -- $3
          IFS=$saved_ifs
          echo "169.254.$(( 0x$5 % 254 + 1 )).$(( 0x$6 ))"
        }

        """;

    /// <summary>The script that sets the gateway up; run by the init container and again whenever rules vanish.</summary>
    public static string RenderApply(GatewayPlan plan) => RenderApply(plan, GatewayRedundancy.OnePod);

    /// <summary>
    /// The script that sets the gateway up. A highly available gateway's script puts everything in place but the
    /// addresses, which keepalived adds on the one pod that holds them (<see cref="KeepalivedConfig"/>).
    /// </summary>
    public static string RenderApply(GatewayPlan plan, GatewayRedundancy redundancy)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(redundancy);
        var byVrrp = redundancy.IsHighlyAvailable;
        var script = new ScriptWriter();
        script.Raw(Prelude);
        if (byVrrp && !plan.Families[0].IsIPv6)
        {
            script.Raw(VrrpSourceFunction);
        }
        script.Line("ip link set net1 up");
        if (byVrrp && !plan.Families[0].IsIPv6)
        {
            script.Line("# The source of VRRP advertisements, outside the Subnet: the load balancer address is keepalived's to add.");
            script.Line("ip -4 addr replace \"$(vrrp_source)/32\" dev net1 scope link");
        }
        foreach (var family in plan.Families)
        {
            RenderFamily(script, plan, family, byVrrp);
        }
        return script.ToString();
    }

    /// <summary>
    /// A short script that succeeds only while the gateway's address, policy rules, routes and chains are in place:
    /// the readiness probe and the keeper loop run it.
    /// </summary>
    public static string RenderCheck(GatewayPlan plan) => RenderCheck(plan, GatewayRedundancy.OnePod);

    /// <summary>
    /// The check of a gateway's rules. A highly available gateway's pods are checked for everything but the addresses,
    /// which only the holder has; keepalived runs this check too, and a pod that fails it gives the addresses up.
    /// </summary>
    public static string RenderCheck(GatewayPlan plan, GatewayRedundancy redundancy)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(redundancy);
        var byVrrp = redundancy.IsHighlyAvailable;
        var script = new ScriptWriter();
        script.Line("set -eu");
        if (byVrrp && !plan.Families[0].IsIPv6)
        {
            script.Line("ip -4 addr show dev net1 scope link | grep -qF ' inet 169.254.'");
        }
        foreach (var family in plan.Families)
        {
            var syntax = FamilySyntax.Of(family);
            if (!byVrrp)
            {
                script.Line($"ip {syntax.IpFlag} addr show dev net1 | grep -qF ' {family.LoadBalancerInterfaceAddress} '");
            }
            script.Line($"[ -n \"$(ip {syntax.IpFlag} rule show from {family.LoadBalancerAddress} lookup {RouteTable})\" ]");
            script.Line($"[ -n \"$(ip {syntax.IpFlag} rule show iif net1 lookup {RouteTable})\" ]");
            script.Line($"[ -n \"$(ip {syntax.IpFlag} rule show iif eth0 lookup {RouteTable})\" ]");
            script.Line($"[ -n \"$(ip {syntax.IpFlag} route show table {RouteTable} default)\" ]");
            script.Line($"[ -n \"$(ip {syntax.IpFlag} route show table {RouteTable} {family.ClusterIp})\" ]");
            script.Line($"{syntax.Iptables} -w -t nat -C PREROUTING -j {PreroutingChain}");
            script.Line($"{syntax.Iptables} -w -t nat -C POSTROUTING -j {PostroutingChain}");
            script.Line($"{syntax.Iptables} -w -t filter -C INPUT -j {InputChain}");
            script.Line($"{syntax.Iptables} -w -t filter -C FORWARD -j {ForwardChain}");
            script.Line($"{syntax.Iptables} -w -t nat -C {PostroutingChain} {MasqueradeRule(family, syntax)}");
            // A flushed chain of ours leaves the jumps in place: check its first rules too.
            var firstSource = plan.RestrictsSources ? plan.SourceRangesOf(family.AddressFamily).FirstOrDefault() : (System.Net.IPNetwork?)null;
            if (!plan.RestrictsSources || firstSource is not null)
            {
                var source = firstSource is { } range ? $"-s {range} " : "";
                script.Line($"{syntax.Iptables} -w -t nat -C {PreroutingChain} {source}-d {family.LoadBalancerAddress}/{syntax.HostPrefix} -j {DnatChain}");
            }
            script.Line($"{syntax.Iptables} -w -t nat -C {DnatChain} {DnatRules(plan, family, syntax).First()}");
        }
        return script.ToString();
    }

    /// <summary>
    /// The long-running container's loop: every <paramref name="interval"/> it runs the check script from
    /// <c>$LBSVC_CHECK</c> and, when that fails, the apply script from <c>$LBSVC_APPLY</c>. It exits at once on
    /// SIGTERM.
    /// </summary>
    public static string RenderKeeper(TimeSpan interval)
    {
        var seconds = (int)Math.Ceiling(interval.TotalSeconds);
        if (seconds < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "the keeper interval must be at least one second");
        }
        var script = new ScriptWriter();
        script.Line("trap 'exit 0' TERM INT");
        script.Line("while :; do");
        script.Line("  if ! sh -c \"$LBSVC_CHECK\" >/dev/null 2>&1; then");
        script.Line("    echo \"lbsvc: gateway rules missing, applying them again\" >&2");
        script.Line("    sh -c \"$LBSVC_APPLY\" || echo \"lbsvc: applying the gateway rules failed\" >&2");
        script.Line("  fi");
        script.Line($"  sleep {seconds.ToString(CultureInfo.InvariantCulture)} &");
        script.Line("  wait $!");
        script.Line("done");
        return script.ToString();
    }

    /// <summary>
    /// The long-running VRRP container of a highly available gateway: writes the check script and keepalived's
    /// configuration into a directory of its own under /run (an in-memory volume) and runs keepalived in the
    /// foreground, which on SIGTERM gives the address up at once (a priority 0 advertisement) and exits.
    /// </summary>
    public static string RenderVrrp(GatewayPlan plan, GatewayRedundancy redundancy)
    {
        var config = KeepalivedConfig.Render(plan, redundancy);
        var script = new ScriptWriter();
        script.Line("set -eu");
        // One directory per start: keepalived refuses to start while its pid file names a live process, and a
        // restarted container's process numbers start again.
        script.Line("dir=/run/lbsvc/$(cat /proc/sys/kernel/random/uuid)");
        script.Line("mkdir -p \"$dir\"");
        script.Line("# This pod's VRRP priority, 100 to 249, from the last two bytes of net1's MAC address.");
        script.Line("set -- $(ip -br link show dev net1)");
        script.Line("saved_ifs=$IFS");
        script.Line("IFS=:");
        script.Line("set -- $3");
        script.Line("IFS=$saved_ifs");
        script.Line("priority=$(( (0x$5 * 256 + 0x$6) % 150 + 100 ))");
        script.Line($"printf '%s\\n' \"${CheckScriptVariable}\" > \"$dir/check.sh\"");
        // keepalived tells each change of its state to this script; the container is ready while the state is BACKUP
        // (it can take the address) or MASTER (it holds it), and a new start is not ready until keepalived says so.
        script.Line($"rm -f {VrrpStateFile}");
        script.Line("cat > \"$dir/notify.sh\" <<'NOTIFY'");
        script.Line($"printf '%s\\n' \"$3\" > {VrrpStateFile}.new");
        script.Line($"mv {VrrpStateFile}.new {VrrpStateFile}");
        script.Line("NOTIFY");
        script.Line("cat > \"$dir/keepalived.conf\" <<CONFIG");
        script.Raw(config);
        script.Line("CONFIG");
        script.Line("exec keepalived --dont-fork --log-console --vrrp --use-file=\"$dir/keepalived.conf\" --pid=\"$dir/keepalived.pid\" --vrrp_pid=\"$dir/vrrp.pid\"");
        return script.ToString();
    }

    /// <summary>Where the VRRP container's notify script writes keepalived's state (in the pod's in-memory /run).</summary>
    public const string VrrpStateFile = "/run/lbsvc/vrrp-state";

    /// <summary>The VRRP container's readiness: keepalived stands by (BACKUP) or holds the address (MASTER), not FAULT.</summary>
    public static string RenderVrrpReadiness() => $"grep -qxE 'BACKUP|MASTER' {VrrpStateFile}";

    /// <summary>The environment entry the keeper and the VRRP container read the check script from.</summary>
    public const string CheckScriptVariable = "LBSVC_CHECK";

    private static void RenderFamily(ScriptWriter script, GatewayPlan plan, GatewayFamily family, bool byVrrp)
    {
        var syntax = FamilySyntax.Of(family);
        var ip = $"ip {syntax.IpFlag}";
        var lbAddress = family.LoadBalancerAddress;

        script.Line();
        script.Line($"# --- {syntax.Name}: {family.LoadBalancerInterfaceAddress} on net1, ClusterIP {family.ClusterIp} ---");
        if (family.IsIPv6)
        {
            script.Line("ensure_sysctl net/ipv6/conf/all/forwarding 1");
            script.Line("# Announce the address with an unsolicited neighbour advertisement once DAD has passed.");
            script.Line("ensure_sysctl net/ipv6/conf/net1/ndisc_notify 1");
            if (!byVrrp)
            {
                script.Line($"{ip} addr replace {family.LoadBalancerInterfaceAddress} dev net1");
                script.Line($"wait_dad {lbAddress}");
            }
        }
        else
        {
            script.Line("ensure_sysctl net/ipv4/ip_forward 1");
            script.Line("# Replies to clients leave through table 100, which a strict reverse-path check would refuse.");
            script.Line("ensure_sysctl net/ipv4/conf/net1/rp_filter 2");
            script.Line("ensure_sysctl net/ipv4/conf/net1/arp_notify 1");
            if (!byVrrp)
            {
                script.Line($"{ip} addr replace {family.LoadBalancerInterfaceAddress} dev net1");
            }
        }
        script.Line("# Replies from the cluster, traffic from the physical network, and what the gateway itself sends from the");
        script.Line("# load balancer address (refusals) all use table 100.");
        script.Line($"ensure_rule {syntax.IpFlag} {LoadBalancerAddressRulePriority} from {lbAddress}");
        script.Line($"ensure_rule {syntax.IpFlag} {ClusterInterfaceRulePriority} iif eth0");
        script.Line($"ensure_rule {syntax.IpFlag} {PhysicalInterfaceRulePriority} iif net1");
        script.Line($"{ip} route replace {family.SubnetCidr} dev net1 table {RouteTable}");
        script.Line($"{ip} route replace default via {family.SubnetGateway} dev net1 table {RouteTable}");
        script.Line($"route_cluster_ip {syntax.IpFlag} {family.ClusterIp}");

        script.Line($"{syntax.Iptables}-restore -w --noflush <<'RULES'");
        script.Line("*nat");
        script.Line($":{PreroutingChain} - [0:0]");
        script.Line($":{DnatChain} - [0:0]");
        script.Line($":{PostroutingChain} - [0:0]");
        script.Line($"-F {PreroutingChain}");
        script.Line($"-F {DnatChain}");
        script.Line($"-F {PostroutingChain}");
        // Sources and ports are matched in two steps, so the rules grow with sources + ports, not sources x ports:
        // a Service with many of both still gives a script that fits in one argument of a container's command.
        foreach (var rule in SourceRules(plan, family, syntax))
        {
            script.Line(rule);
        }
        foreach (var rule in DnatRules(plan, family, syntax))
        {
            script.Line($"-A {DnatChain} {rule}");
        }
        script.Line($"-A {PostroutingChain} {MasqueradeRule(family, syntax)}");
        script.Line("COMMIT");
        script.Line("*filter");
        script.Line($":{InputChain} - [0:0]");
        script.Line($":{ForwardChain} - [0:0]");
        script.Line($"-F {InputChain}");
        script.Line($"-F {ForwardChain}");
        script.Line($"-A {InputChain} -d {lbAddress}/{syntax.HostPrefix} -p tcp -j REJECT --reject-with tcp-reset");
        script.Line($"-A {InputChain} -d {lbAddress}/{syntax.HostPrefix} -p udp -j REJECT --reject-with {syntax.PortUnreachable}");
        script.Line($"-A {InputChain} -d {lbAddress}/{syntax.HostPrefix} -p sctp -j REJECT --reject-with {syntax.PortUnreachable}");
        script.Line($"-A {ForwardChain} -i net1 -m conntrack --ctstate DNAT --ctorigdst {lbAddress}/{syntax.HostPrefix} -j RETURN");
        script.Line($"-A {ForwardChain} -i net1 -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN");
        script.Line($"-A {ForwardChain} -i net1 -j DROP");
        script.Line("COMMIT");
        script.Line("RULES");
        script.Line($"ensure_jump {syntax.Iptables} nat PREROUTING {PreroutingChain}");
        script.Line($"ensure_jump {syntax.Iptables} nat POSTROUTING {PostroutingChain}");
        script.Line($"ensure_jump {syntax.Iptables} filter INPUT {InputChain}");
        script.Line($"ensure_jump {syntax.Iptables} filter FORWARD {ForwardChain}");
        if (!family.IsIPv6 && !byVrrp)
        {
            script.Line("# Tell the physical network where the address lives now (gratuitous ARP), when the image has arping.");
            script.Line("if command -v arping >/dev/null 2>&1; then");
            script.Line($"  arping -U -c 2 -I net1 -s {lbAddress} {lbAddress} >/dev/null 2>&1 || echo \"lbsvc: gratuitous ARP for {lbAddress} on net1 failed\" >&2");
            script.Line("fi");
        }
    }

    /// <summary>
    /// The jumps from <see cref="PreroutingChain"/> to <see cref="DnatChain"/>: one for every source, or one per
    /// group of allowed ranges of the family (iptables expands a comma-separated <c>-s</c> list itself). None when
    /// sources are restricted and the family has no allowed range.
    /// </summary>
    private static IEnumerable<string> SourceRules(GatewayPlan plan, GatewayFamily family, FamilySyntax syntax)
    {
        var destination = $"-d {family.LoadBalancerAddress}/{syntax.HostPrefix} -j {DnatChain}";
        if (!plan.RestrictsSources)
        {
            yield return $"-A {PreroutingChain} {destination}";
            yield break;
        }
        foreach (var group in Chunks(plan.SourceRangesOf(family.AddressFamily).Select(r => r.ToString()), MaxListLength, MaxListEntries))
        {
            yield return $"-A {PreroutingChain} -s {string.Join(',', group)} {destination}";
        }
    }

    /// <summary>
    /// The rules of <see cref="DnatChain"/> (without <c>-A chain</c>), per protocol: a lone port keeps the explicit <c>--dport</c> and <c>ip:port</c> form; several
    /// ports go through <c>multiport</c> (15 slots a rule, a range of consecutive ports taking two), and DNAT to the
    /// address alone keeps each packet's port, which is the Service port the ClusterIP listens on.
    /// </summary>
    private static IEnumerable<string> DnatRules(GatewayPlan plan, GatewayFamily family, FamilySyntax syntax)
    {
        foreach (var group in plan.Ports.GroupBy(p => p.Protocol).OrderBy(g => g.Key))
        {
            var protocol = group.First().IptablesProtocol;
            var ports = group.Select(p => p.Port).Order().ToList();
            if (ports.Count == 1)
            {
                yield return $"-p {protocol} -m {protocol} --dport {ports[0]} " +
                    $"-j DNAT --to-destination {syntax.Endpoint(family.ClusterIp, ports[0])}";
                continue;
            }
            foreach (var rule in MultiportGroups(ports))
            {
                yield return $"-p {protocol} -m multiport --dports {rule} -j DNAT --to-destination {family.ClusterIp}";
            }
        }
    }

    /// <summary>Sorted distinct ports as multiport lists: consecutive ports become <c>a:b</c>; at most 15 slots per list.</summary>
    private static IEnumerable<string> MultiportGroups(List<int> sortedPorts)
    {
        var items = new List<(string Text, int Slots)>();
        for (var i = 0; i < sortedPorts.Count;)
        {
            var end = i;
            while (end + 1 < sortedPorts.Count && sortedPorts[end + 1] == sortedPorts[end] + 1)
            {
                end++;
            }
            items.Add(end == i
                ? (sortedPorts[i].ToString(CultureInfo.InvariantCulture), 1)
                : (string.Create(CultureInfo.InvariantCulture, $"{sortedPorts[i]}:{sortedPorts[end]}"), 2));
            i = end + 1;
        }
        var current = new List<string>();
        var slots = 0;
        foreach (var (text, cost) in items)
        {
            if (slots + cost > MultiportSlots)
            {
                yield return string.Join(',', current);
                current.Clear();
                slots = 0;
            }
            current.Add(text);
            slots += cost;
        }
        yield return string.Join(',', current);
    }

    /// <summary>Splits a list into groups of at most <paramref name="maxEntries"/> entries and about <paramref name="maxLength"/> characters.</summary>
    private static IEnumerable<IReadOnlyList<string>> Chunks(IEnumerable<string> entries, int maxLength, int maxEntries)
    {
        var current = new List<string>();
        var length = 0;
        foreach (var entry in entries)
        {
            if (current.Count > 0 && (current.Count == maxEntries || length + 1 + entry.Length > maxLength))
            {
                yield return current;
                current = [];
                length = 0;
            }
            current.Add(entry);
            length += entry.Length + 1;
        }
        if (current.Count > 0)
        {
            yield return current;
        }
    }

    private static string MasqueradeRule(GatewayFamily family, FamilySyntax syntax) =>
        $"-d {family.ClusterIp}/{syntax.HostPrefix} -j MASQUERADE";

    /// <summary>How a family is spelled on the command lines of ip and iptables.</summary>
    private sealed record FamilySyntax(string Name, string IpFlag, string Iptables, int HostPrefix, string PortUnreachable, bool Brackets)
    {
        public static FamilySyntax Of(GatewayFamily family) => family.IsIPv6
            ? new("IPv6", "-6", "ip6tables", 128, "icmp6-port-unreachable", Brackets: true)
            : new("IPv4", "-4", "iptables", 32, "icmp-port-unreachable", Brackets: false);

        public string Endpoint(IPAddress address, int port) => Brackets ? $"[{address}]:{port}" : $"{address}:{port}";
    }

    /// <summary>Builds script text with "\n" line ends whatever the platform, so the text is the same everywhere.</summary>
    private sealed class ScriptWriter
    {
        private readonly StringBuilder _text = new();

        public void Raw(string text) => _text.Append(text.ReplaceLineEndings("\n"));

        public void Line(string line = "") => _text.Append(line).Append('\n');

        public override string ToString() => _text.ToString();
    }
}
