using System.Net;
using k8s.Models;
using LbOperator.Ipam;

namespace LbOperator.LoadBalancing;

/// <summary>
/// What a Service's gateway forwards to, read from its spec: the ClusterIPs (one per family), the ports
/// (<c>port</c> and <c>protocol</c>; <c>targetPort</c> plays no part since the ClusterIP listens on <c>port</c>), and
/// <c>spec.loadBalancerSourceRanges</c> or, when that is empty, the older annotation
/// <see cref="Annotations.LegacySourceRanges"/> (both empty: every source).
/// </summary>
public sealed record ServiceForwarding(
    IReadOnlyList<IPAddress> ClusterIps,
    IReadOnlyList<ServicePortRule> Ports,
    IReadOnlyList<IPNetwork> SourceRanges)
{
    public IPAddress? ClusterIpOf(System.Net.Sockets.AddressFamily family) =>
        ClusterIps.FirstOrDefault(a => a.AddressFamily == family);

    /// <summary>
    /// Reads the forwarding of <paramref name="service"/>. <paramref name="requireClusterIp"/> is false only for
    /// checking a manifest that has not met an API server yet (the API server assigns the ClusterIP).
    /// </summary>
    public static RuleResult<ServiceForwarding> Parse(V1Service service, bool requireClusterIp = true)
    {
        ArgumentNullException.ThrowIfNull(service);
        var who = $"Service {ServiceNames.Display(service)}";
        var spec = service.Spec ?? new V1ServiceSpec();

        var clusterIpTexts = (spec.ClusterIPs is { Count: > 0 } ? spec.ClusterIPs : [spec.ClusterIP])
            .Where(t => !string.IsNullOrEmpty(t) && t != "None")
            .ToList();
        if (clusterIpTexts.Count == 0 && requireClusterIp)
        {
            return RuleResult<ServiceForwarding>.Failure(
                $"{who} has no spec.clusterIP, and the gateway forwards to it; the API server assigns one when the Service " +
                "is created (read it back with kubectl get svc -o yaml), or set spec.clusterIP to an address of the cluster's Service CIDR");
        }
        var clusterIps = new List<IPAddress>();
        foreach (var text in clusterIpTexts)
        {
            if (!IpAddressText.TryParseAddress(text, out var address))
            {
                return RuleResult<ServiceForwarding>.Failure($"{who}: spec.clusterIPs entry {MessageText.Quote(text)} is not an IP address");
            }
            if (clusterIps.Any(a => a.AddressFamily == address.AddressFamily))
            {
                return RuleResult<ServiceForwarding>.Failure($"{who}: spec.clusterIPs has two {IpAddressMath.FamilyName(address.AddressFamily)} addresses");
            }
            clusterIps.Add(address);
        }

        var ports = new List<ServicePortRule>();
        foreach (var (port, index) in (spec.Ports ?? []).Select((p, i) => (p, i)))
        {
            var name = string.IsNullOrEmpty(port.Name) ? $"#{index}" : MessageText.Quote(port.Name);
            PortProtocol? protocol = (port.Protocol ?? "TCP") switch
            {
                "TCP" => PortProtocol.Tcp,
                "UDP" => PortProtocol.Udp,
                "SCTP" => PortProtocol.Sctp,
                _ => null,
            };
            if (protocol is null)
            {
                return RuleResult<ServiceForwarding>.Failure(
                    $"{who}: spec.ports[{index}] ({name}) protocol {MessageText.Quote(port.Protocol)} is not supported (accepted: TCP, UDP, SCTP)",
                    EventReasons.UnsupportedProtocol);
            }
            if (port.Port is < 1 or > 65535)
            {
                return RuleResult<ServiceForwarding>.Failure(
                    $"{who}: spec.ports[{index}] ({name}) port {port.Port} is out of range (accepted: 1-65535)");
            }
            var rule = new ServicePortRule(protocol.Value, port.Port);
            if (!ports.Contains(rule))
            {
                ports.Add(rule);
            }
        }
        if (ports.Count == 0)
        {
            return RuleResult<ServiceForwarding>.Failure($"{who} has no spec.ports; a LoadBalancer Service forwards at least one port");
        }

        var ranges = new List<IPNetwork>();
        var (sourceTexts, sourceField) = SourceRangeTexts(service);
        foreach (var text in sourceTexts)
        {
            var trimmed = text?.Trim();
            if (!IpAddressText.TryParseCidr(trimmed, out var address, out var prefix))
            {
                return RuleResult<ServiceForwarding>.Failure(
                    $"{who}: {sourceField} entry {MessageText.Quote(text)} is not a CIDR (accepted: e.g. 192.168.0.0/16 or fd00::/64)");
            }
            var range = IpAddressText.Normalize(address, prefix);
            if (!ranges.Contains(range))
            {
                ranges.Add(range);
            }
        }
        return RuleResult<ServiceForwarding>.Success(new ServiceForwarding(clusterIps, ports, ranges));
    }

    /// <summary>
    /// The allowed sources as written, and where: <c>spec.loadBalancerSourceRanges</c>, or, when that is empty, the
    /// older annotation (comma-separated; empty or blank means every source), as kube-proxy reads them.
    /// </summary>
    private static (IReadOnlyList<string?> Texts, string Field) SourceRangeTexts(V1Service service)
    {
        if (service.Spec?.LoadBalancerSourceRanges is { Count: > 0 } listed)
        {
            return ([.. listed], "spec.loadBalancerSourceRanges");
        }

        if (service.Metadata?.Annotations?.TryGetValue(Annotations.LegacySourceRanges, out var annotation) == true
            && !string.IsNullOrWhiteSpace(annotation))
        {
            return ([.. annotation.Split(',')], $"annotation {Annotations.LegacySourceRanges}");
        }

        return ([], "spec.loadBalancerSourceRanges");
    }
}
