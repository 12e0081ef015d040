using k8s.Models;
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
        var request = plan.Request.IsDynamic ? "lowest free" : "requested";
        return ManifestVerdict.Ok(
            $"service {planned.DisplayName}: ok, provider {plan.Provider}, subnet {plan.Subnet.Name}, " +
            $"address {string.Join(",", planned.Addresses)} ({request}), ports {string.Join(" ", plan.Forwarding.Ports)}");
    }
}
