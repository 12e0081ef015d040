using LbOperator.Entities;
using LbOperator.Framework.Watcher;

namespace LbOperator.Controllers;

/// <summary><c>--kube-ovn</c>: on, off, or on wherever Kube-OVN's IP or Vip kind is served.</summary>
public enum KubeOvnSetting
{
    Auto,
    On,
    Off,
}

/// <summary>
/// Whether LbOperator runs beside Kube-OVN (docs/kube-ovn.md). In that mode it holds the addresses Kube-OVN's IPAM
/// gave out (<see cref="KubeOvnAddresses"/>), writes none of the Subnet's status figures (they are Kube-OVN's) and
/// serves nothing while Kube-OVN's own lb-svc runs (<see cref="KubeOvnLbSvcCheck"/>). Outside it nothing of that
/// happens. With <see cref="KubeOvnSetting.Auto"/> the answer follows the cluster: the optional watches of IPs and
/// Vips tell whether their kinds are served.
/// </summary>
public sealed class KubeOvnMode(LbOperatorSettings settings, IEntityCache<V1KubeOvnIp> ips, IEntityCache<V1KubeOvnVip> vips)
{
    public bool IsOn => settings.KubeOvn switch
    {
        KubeOvnSetting.On => true,
        KubeOvnSetting.Off => false,
        _ => ips.IsServed || vips.IsServed,
    };
}
