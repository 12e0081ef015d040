using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LbOperator.Sandbox.Nodes;

/// <summary>
/// Renders the node's whole nat table the way kube-proxy's iptables mode shapes it: a services chain matching
/// ClusterIP:port, one chain per frontend choosing an endpoint at random with equal chances, and masquerading of
/// translated connections (pods share one bridge, so without it a backend would answer the client directly and
/// the client would drop the reply). Pure: the same frontends always give the same text.
/// </summary>
public static class ServiceProxyRules
{
    public const string ServicesChain = "LBOP-SERVICES";

    public static string Render(IEnumerable<ServiceFrontend> frontends, AddressFamily family)
    {
        var selected = frontends.Where(f => f.Family == family)
            .OrderBy(f => f.Service, StringComparer.Ordinal).ThenBy(f => f.ClusterIp.ToString(), StringComparer.Ordinal)
            .ToList();
        var hostBits = family == AddressFamily.InterNetworkV6 ? 128 : 32;
        var chains = new StringBuilder();
        var rules = new StringBuilder();
        rules.Append(CultureInfo.InvariantCulture, $"-A PREROUTING -j {ServicesChain}\n");
        rules.Append(CultureInfo.InvariantCulture, $"-A OUTPUT -j {ServicesChain}\n");
        rules.Append("-A POSTROUTING -m conntrack --ctstate DNAT -j MASQUERADE\n");
        foreach (var frontend in selected.Where(f => f.Endpoints.Count > 0))
        {
            var protocol = frontend.Protocol.ToString().ToLowerInvariant();
            var chain = ChainName(frontend);
            chains.Append(CultureInfo.InvariantCulture, $":{chain} - [0:0]\n");
            rules.Append(CultureInfo.InvariantCulture,
                $"-A {ServicesChain} -d {frontend.ClusterIp}/{hostBits} -p {protocol} -m {protocol} --dport {frontend.Port} -m comment --comment \"{frontend.Service}\" -j {chain}\n");
            for (var i = 0; i < frontend.Endpoints.Count; i++)
            {
                var remaining = frontend.Endpoints.Count - i;
                var chance = remaining > 1
                    ? string.Create(CultureInfo.InvariantCulture, $"-m statistic --mode random --probability {1.0 / remaining:0.00000} ")
                    : "";
                rules.Append(CultureInfo.InvariantCulture,
                    $"-A {chain} -p {protocol} {chance}-j DNAT --to-destination {Format(frontend.Endpoints[i])}\n");
            }
        }
        return "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n" +
            $":{ServicesChain} - [0:0]\n{chains}{rules}COMMIT\n";
    }

    /// <summary>A chain name (at most 28 characters) stable for the frontend.</summary>
    public static string ChainName(ServiceFrontend frontend) =>
        "LBOP-SVC-" + NodeTopology.ShortHash($"{frontend.Service}|{frontend.ClusterIp}|{frontend.Port}|{frontend.Protocol}").ToUpperInvariant();

    private static string Format(IPEndPoint endpoint) =>
        endpoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]:{endpoint.Port}" : $"{endpoint.Address}:{endpoint.Port}";
}
