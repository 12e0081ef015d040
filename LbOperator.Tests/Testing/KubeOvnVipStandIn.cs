using System.Net;
using k8s.Autorest;
using k8s.Models;
using LbOperator.Entities;
using LbOperator.Framework.Client;

namespace LbOperator.Tests.Testing;

/// <summary>
/// A stand-in for the part of kube-ovn-controller that serves Vips, for sandboxes that hold Kube-OVN's CRDs. It acts
/// as Kube-OVN's Vip controller is documented to (docs/kube-ovn.md): a Vip asking for an address that an IP or another
/// allocated Vip of its Subnet holds stays without status (Kube-OVN retries it); otherwise it gets the finalizer
/// <c>kubeovn.io/kube-ovn-controller</c>, the labels Kube-OVN sets, and the address in its status. A deleted Vip loses the
/// finalizer. As Kube-OVN does when a pod it served is deleted, the IP of a pod seen running and gone since is deleted
/// (an IP whose pod it never saw is left alone). <see cref="Paused"/> stands for a kube-ovn-controller that is not running.
/// </summary>
public sealed class KubeOvnVipStandIn : IAsyncDisposable
{
    public const string Finalizer = "kubeovn.io/kube-ovn-controller";

    private readonly IKubernetesClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly HashSet<(string, string)> _seenPods = [];

    private KubeOvnVipStandIn(IKubernetesClient client)
    {
        _client = client;
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>While true, nothing is allocated or released (kube-ovn-controller is down).</summary>
    public bool Paused { get; set; }

    public static KubeOvnVipStandIn Start(IKubernetesClient client) => new(client);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!Paused)
            {
                try
                {
                    await PassAsync(cancellationToken);
                }
                catch (HttpOperationException)
                {
                    // A conflict with another writer: the next pass looks again, as a controller's retry does.
                }
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    private async Task PassAsync(CancellationToken cancellationToken)
    {
        var vips = await _client.ListAsync<V1KubeOvnVip>(cancellationToken: cancellationToken);
        var ips = await _client.ListAsync<V1KubeOvnIp>(cancellationToken: cancellationToken);
        var pods = (await _client.ListAsync<V1Pod>(cancellationToken: cancellationToken))
            .Select(p => (p.Metadata.NamespaceProperty ?? "", p.Metadata.Name)).ToHashSet();
        _seenPods.UnionWith(pods);
        var held = new HashSet<(string, IPAddress)>();
        foreach (var ip in ips)
        {
            var pod = (ip.Spec?.Namespace ?? "", ip.Spec?.PodName ?? "");
            if (_seenPods.Contains(pod) && !pods.Contains(pod))
            {
                await _client.DeleteAsync<V1KubeOvnIp>(ip.Metadata.Name, cancellationToken: cancellationToken);
                continue;
            }

            foreach (var text in new[] { ip.Spec?.V4IpAddress, ip.Spec?.V6IpAddress }.Where(t => !string.IsNullOrEmpty(t)))
            {
                held.Add((ip.Spec!.Subnet ?? "", IPAddress.Parse(text!)));
            }
        }

        foreach (var vip in vips.Where(v => v.Status?.V4Ip is { Length: > 0 } || v.Status?.V6Ip is { Length: > 0 }))
        {
            foreach (var text in new[] { vip.Status!.V4Ip, vip.Status.V6Ip }.Where(t => !string.IsNullOrEmpty(t)))
            {
                held.Add((vip.Spec?.Subnet ?? "", IPAddress.Parse(text!)));
            }
        }

        foreach (var vip in vips)
        {
            if (vip.Metadata.DeletionTimestamp is not null)
            {
                if (vip.Metadata.Finalizers?.Remove(Finalizer) == true)
                {
                    await _client.UpdateAsync(vip, cancellationToken);
                }

                continue;
            }

            if (vip.Status?.V4Ip is { Length: > 0 } || vip.Status?.V6Ip is { Length: > 0 })
            {
                continue;
            }

            var subnet = vip.Spec?.Subnet ?? "";
            var asked = new[] { vip.Spec?.V4Ip, vip.Spec?.V6Ip }.Where(t => !string.IsNullOrEmpty(t)).Select(t => IPAddress.Parse(t!)).ToList();
            if (asked.Count == 0 || asked.Any(a => held.Contains((subnet, a))))
            {
                continue;
            }

            vip.Metadata.Finalizers ??= [];
            vip.Metadata.Finalizers.Add(Finalizer);
            vip.Metadata.Labels ??= new Dictionary<string, string>();
            vip.Metadata.Labels["ovn.kubernetes.io/subnet"] = subnet;
            vip.Metadata.Labels["ovn.kubernetes.io/ip_reserved"] = "";
            vip.Status = new V1KubeOvnVipStatus { V4Ip = vip.Spec?.V4Ip, V6Ip = vip.Spec?.V6Ip };
            await _client.UpdateAsync(vip, cancellationToken);
            foreach (var address in asked)
            {
                held.Add((subnet, address));
            }
        }
    }
}
