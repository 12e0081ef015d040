using System.Net;
using System.Net.Sockets;
using k8s.Models;

namespace LbOperator.Sandbox.Nodes;

public enum ServiceProtocol
{
    Tcp,
    Udp,
    Sctp,
}

/// <summary>One port of one ClusterIP and the ready endpoints behind it, as kube-proxy sees it.</summary>
/// <param name="Service">namespace/name/port-name, for rule comments and chain names.</param>
public sealed record ServiceFrontend(string Service, IPAddress ClusterIp, int Port, ServiceProtocol Protocol, IReadOnlyList<IPEndPoint> Endpoints)
{
    public AddressFamily Family => ClusterIp.AddressFamily;

    /// <summary>
    /// Every ClusterIP port of the Services with the ready addresses of the matching Endpoints port (same name and
    /// protocol, same address family). Headless Services and Services without a ClusterIP have no frontend.
    /// </summary>
    public static IReadOnlyList<ServiceFrontend> From(IEnumerable<V1Service> services, IEnumerable<V1Endpoints> endpoints)
    {
        var endpointsByService = endpoints.ToDictionary(e => (e.Metadata.NamespaceProperty ?? "default", e.Metadata.Name));
        var frontends = new List<ServiceFrontend>();
        foreach (var service in services)
        {
            var key = (service.Metadata.NamespaceProperty ?? "default", service.Metadata.Name);
            endpointsByService.TryGetValue(key, out var serviceEndpoints);
            foreach (var clusterIp in ClusterIps(service))
            {
                foreach (var port in service.Spec.Ports ?? [])
                {
                    var protocol = ParseProtocol(port.Protocol, $"Service {key.Item1}/{key.Item2} port {port.Port}");
                    var targets = (serviceEndpoints?.Subsets ?? [])
                        .SelectMany(subset => (subset.Ports ?? [])
                            .Where(p => (p.Name ?? "") == (port.Name ?? "") && ParseProtocol(p.Protocol, "Endpoints port") == protocol)
                            .SelectMany(p => (subset.Addresses ?? [])
                                .Select(a => IPAddress.TryParse(a.Ip, out var ip) ? new IPEndPoint(ip, p.Port) : null)))
                        .OfType<IPEndPoint>()
                        .Where(e => e.AddressFamily == clusterIp.AddressFamily)
                        .Distinct()
                        .OrderBy(e => e.ToString(), StringComparer.Ordinal)
                        .ToList();
                    frontends.Add(new ServiceFrontend($"{key.Item1}/{key.Item2}:{port.Name ?? port.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
                        clusterIp, port.Port, protocol, targets));
                }
            }
        }
        return frontends;
    }

    private static IEnumerable<IPAddress> ClusterIps(V1Service service)
    {
        var values = service.Spec.ClusterIPs is { Count: > 0 } list ? list : [service.Spec.ClusterIP];
        foreach (var value in values)
        {
            if (!string.IsNullOrEmpty(value) && value != "None" && IPAddress.TryParse(value, out var address))
            {
                yield return address;
            }
        }
    }

    private static ServiceProtocol ParseProtocol(string? value, string where) => value switch
    {
        null or "" or "TCP" => ServiceProtocol.Tcp,
        "UDP" => ServiceProtocol.Udp,
        "SCTP" => ServiceProtocol.Sctp,
        _ => throw new ArgumentException($"{where}: protocol '{value}' is not TCP, UDP or SCTP"),
    };
}
