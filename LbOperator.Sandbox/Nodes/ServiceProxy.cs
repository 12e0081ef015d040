using System.Net.Sockets;
using k8s.Models;

namespace LbOperator.Sandbox.Nodes;

/// <summary>
/// The node's kube-proxy: turns Services and Endpoints into the node namespace's nat table, replaced as a whole
/// whenever the rendered rules change. Serialised: one sync at a time.
/// </summary>
public sealed class ServiceProxy(NetworkNamespace node, NodeNetworkOptions options) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<AddressFamily, string> _applied = [];

    /// <summary>The rule set without Services: jumps into the (empty) services chain and masquerading.</summary>
    public static async Task InstallBaseRulesAsync(NetworkNamespace node, NodeNetworkOptions options, CancellationToken cancellationToken)
    {
        foreach (var family in Families(options))
        {
            await node.IptablesRestoreAsync(family, ServiceProxyRules.Render([], family), keepOtherRules: false, cancellationToken);
        }
    }

    public async Task SyncAsync(IEnumerable<V1Service> services, IEnumerable<V1Endpoints> endpoints, CancellationToken cancellationToken)
    {
        var frontends = ServiceFrontend.From(services, endpoints);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            foreach (var family in Families(options))
            {
                var rules = ServiceProxyRules.Render(frontends, family);
                if (_applied.TryGetValue(family, out var previous) && previous == rules)
                {
                    continue;
                }
                await node.IptablesRestoreAsync(family, rules, keepOtherRules: false, cancellationToken);
                _applied[family] = rules;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private static IEnumerable<AddressFamily> Families(NodeNetworkOptions options) =>
        options.PodNetworks.Select(n => n.Family).Distinct();

    public void Dispose() => _gate.Dispose();
}
