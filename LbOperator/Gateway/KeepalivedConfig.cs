using System.Globalization;
using System.Text;

namespace LbOperator.Gateway;

/// <summary>
/// The keepalived configuration of a highly available gateway: one VRRP version 3 instance on net1 that holds the
/// Service's addresses (those of its first family advertised, the other family's moved with them), tracked by the
/// gateway's check script so that a pod whose rules are not in place never holds the address. Rendered from typed values
/// only; <c>${dir}</c> (the pod's own run directory) and <c>${priority}</c> are filled in by the shell that writes the file.
/// </summary>
public static class KeepalivedConfig
{
    public const string InstanceName = "lbsvc";
    public const string TrackScriptName = "lbsvc_rules";


    public static string Render(GatewayPlan plan, GatewayRedundancy redundancy)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(redundancy);
        if (!redundancy.IsHighlyAvailable || redundancy.RouterId is not { } routerId)
        {
            throw new ArgumentException("keepalived runs only in a highly available gateway, which has a router id", nameof(redundancy));
        }

        var advertised = plan.Families[0];
        var moved = plan.Families.Skip(1).ToList();
        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');
        Line($"# LbOperator gateway: VRRP for {string.Join(",", plan.Families.Select(f => f.LoadBalancerAddress))}, generated from validated values only.");
        Line("global_defs {");
        Line("  script_user root");
        Line("  enable_script_security");
        // Gratuitous ARP / unsolicited neighbour advertisements: three at once on taking the address, three more a second
        // later, and one every five seconds while holding it, so switches and neighbours that missed them learn again.
        Line("  vrrp_garp_master_delay 1");
        Line("  vrrp_garp_master_repeat 3");
        Line("  vrrp_garp_master_refresh 5");
        Line("  vrrp_garp_master_refresh_repeat 1");
        // Two standbys taking over at the same moment both announce the address; the one that yields says so first,
        // and the one that stays announces again, so the network's last word is the holder's.
        Line("  vrrp_higher_prio_send_advert true");
        Line("}");
        Line($"vrrp_script {TrackScriptName} {{");
        Line("  script \"/bin/sh ${dir}/check.sh\"");
        Line("  interval 1");
        Line("  timeout 3");
        Line("  rise 1");
        Line("  fall 1");
        // Failed until the first check passes: a pod just started holds nothing before its rules are in place.
        Line("  init_fail");
        Line("}");
        Line($"vrrp_instance {InstanceName} {{");
        Line("  version 3");
        Line("  state BACKUP");
        Line($"  interface {GatewayScript.PhysicalInterface}");
        Line($"  virtual_router_id {routerId}");
        // Each pod's own priority (100 to 249, from its MAC address, filled in by the shell): when the holder goes, the
        // standbys' takeover timers differ, so one takes over and the others hear it before their own timers run out.
        // Two at once would both announce the address, and a neighbour may keep the first announcement it heard.
        Line("  priority ${priority}");
        Line($"  advert_int {(redundancy.AdvertisementInterval.TotalMilliseconds / 1000).ToString("0.00", CultureInfo.InvariantCulture)}");
        // A returning pod does not take the address back: every move is a moment of dark time.
        Line("  nopreempt");
        Line("  track_script {");
        Line($"    {TrackScriptName}");
        Line("  }");
        Line("  notify \"/bin/sh ${dir}/notify.sh\"");
        Line("  virtual_ipaddress {");
        Line($"    {advertised.LoadBalancerInterfaceAddress} dev {GatewayScript.PhysicalInterface}");
        Line("  }");
        if (moved.Count > 0)
        {
            Line("  virtual_ipaddress_excluded {");
            foreach (var family in moved)
            {
                Line($"    {family.LoadBalancerInterfaceAddress} dev {GatewayScript.PhysicalInterface}");
            }
            Line("  }");
        }
        Line("}");
        return text.ToString();
    }
}
