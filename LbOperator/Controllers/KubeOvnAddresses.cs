using System.Net;
using LbOperator.Entities;
using LbOperator.Framework.Entities;
using LbOperator.Framework.Watcher;
using LbOperator.LoadBalancing;

namespace LbOperator.Controllers;

/// <summary>
/// The addresses Kube-OVN's own IPAM has handed out in a Subnet: its IPs (one per pod interface it serves) and its
/// Vips (allocated, or only asked for). The IPAM holds them for LbOperator too (<see cref="IpamState.SetHeldElsewhere"/>),
/// so an address Kube-OVN gave a pod is never handed to a Service. Where Kube-OVN is not installed both kinds are
/// not served and the caches are empty.
/// </summary>
public sealed class KubeOvnAddresses(IEntityCache<V1KubeOvnIp> ips, IEntityCache<V1KubeOvnVip> vips, KubeOvnMode mode)
{
    public static EntityIndex<V1KubeOvnIp> IpSubnetIndex { get; } = new("kube-ovn-subnet", ip => ip.Spec?.Subnet);

    public static EntityIndex<V1KubeOvnVip> VipSubnetIndex { get; } = new("kube-ovn-subnet", vip => vip.Spec?.Subnet);

    /// <summary>
    /// The addresses of <paramref name="subnet"/> in Kube-OVN's IPs and Vips, each with the object that has it; none
    /// outside Kube-OVN mode.
    /// </summary>
    public IReadOnlyDictionary<IPAddress, string> In(string subnet)
    {
        var held = new Dictionary<IPAddress, string>();
        if (!mode.IsOn)
        {
            return held;
        }

        foreach (var ip in ips.Find(IpSubnetIndex.Name, subnet))
        {
            Add(held, IpHolder(ip.Metadata.Name), ip.Spec?.V4IpAddress, ip.Spec?.V6IpAddress);
        }

        // LbOperator's own Vips reserve what its IPAM holds already.
        foreach (var vip in vips.Find(VipSubnetIndex.Name, subnet).Where(v => !AddressReservations.IsOurs(v)))
        {
            Add(held, $"Kube-OVN Vip {vip.Metadata.Name}", vip.Spec?.V4Ip, vip.Spec?.V6Ip, vip.Status?.V4Ip, vip.Status?.V6Ip);
        }

        return held;
    }

    /// <summary>How the IPAM names the holder of the addresses of Kube-OVN's IP <paramref name="name"/>.</summary>
    public static string IpHolder(string name) => $"Kube-OVN IP {name}";

    /// <summary>The Subnet an IP belongs to: the one its change may give or take addresses from.</summary>
    public static IEnumerable<EntityKey> SubnetOf(V1KubeOvnIp ip) => Key(ip.Spec?.Subnet);

    public static IEnumerable<EntityKey> SubnetOf(V1KubeOvnVip vip) => Key(vip.Spec?.Subnet);

    private static IEnumerable<EntityKey> Key(string? subnet) => string.IsNullOrEmpty(subnet) ? [] : [new EntityKey(null, subnet)];

    // Kube-OVN writes one address per field; a dual-stack "v4,v6" in one field is read too.
    private static void Add(Dictionary<IPAddress, string> held, string holder, params string?[] fields)
    {
        foreach (var text in fields.Where(f => !string.IsNullOrEmpty(f)).SelectMany(f => f!.Split(',', StringSplitOptions.TrimEntries)))
        {
            if (IPAddress.TryParse(text, out var address))
            {
                held.TryAdd(address, holder);
            }
        }
    }
}
