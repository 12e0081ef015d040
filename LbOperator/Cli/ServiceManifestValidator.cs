using System.Net;
using System.Net.Sockets;
using k8s.Models;
using LbOperator.Gateway;
using LbOperator.LoadBalancing;

namespace LbOperator.Cli;

/// <summary>
/// Validates Services offline against the Subnets given with them: whether LbOperator serves the Service, and if so
/// its provider, Subnet, address request and ports, and the address it would get.
/// </summary>
public sealed class ServiceManifestValidator : IManifestValidator
{
    public bool CanValidate(Manifest manifest) => manifest.Entity is V1Service;

    public ManifestVerdict Validate(Manifest manifest, IReadOnlyList<Manifest> all)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var service = (V1Service)manifest.Entity!;
        var planned = OfflinePlanner.Plan(all, requireClusterIp: false).First(p => ReferenceEquals(p.Service, service));
        if (planned.Ownership != ServiceOwnership.Ours)
        {
            return ManifestVerdict.Ok($"service {planned.DisplayName}: skipped, left alone by LbOperator ({OfflinePlanner.Reason(planned.Ownership)})");
        }
        if (planned.Error is not null)
        {
            // Rule messages already start with "Service <namespace>/<name>".
            return ManifestVerdict.Invalid([planned.Error]);
        }
        var plan = planned.Plan!;
        if (TooLarge(planned.Service, plan, planned.Addresses) is { } tooLarge)
        {
            return ManifestVerdict.Invalid([$"Service {planned.DisplayName}: {tooLarge}"]);
        }
        var request = plan.Request.IsDynamic ? "lowest free" : "requested";
        return ManifestVerdict.Ok(
            $"service {planned.DisplayName}: ok, provider {plan.Provider}, subnet {plan.Subnet.Name}, " +
            $"address {string.Join(",", planned.Addresses)} ({request}), ports {string.Join(" ", plan.Forwarding.Ports)}");
    }

    /// <summary>
    /// Whether the gateway's pod could start. A manifest has no ClusterIP yet: the widest address of each family
    /// stands in for it, so the answer holds for any ClusterIP the API server assigns.
    /// </summary>
    private static string? TooLarge(V1Service service, ServicePlan plan, IReadOnlyList<IPAddress> addresses)
    {
        var forwarding = plan.Forwarding;
        if (forwarding.ClusterIps.Count == 0)
        {
            forwarding = forwarding with
            {
                ClusterIps = [.. plan.Subnet.Families.Select(f => f.Cidr.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6
                    ? IPAddress.Parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe")
                    : IPAddress.Parse("255.255.255.254"))],
            };
        }
        // The widest router id too, for a highly available gateway: the answer holds for whichever it gets.
        var deployment = GatewayBuilder.Build(service, plan with { Forwarding = forwarding }, addresses, new GatewaySettings(), new VrrpRouterId(VrrpRouterId.Max));
        return GatewayLimits.Problem(deployment, forwarding.Ports.Count, forwarding.SourceRanges.Count);
    }
}
