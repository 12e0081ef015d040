using k8s;

namespace LbOperator.Benchmarks.Scale;

/// <summary>Every benchmark Service's first ingress address, by <c>namespace/name</c>, read with one list.</summary>
public static class ServiceAddresses
{
    public static async Task<IReadOnlyDictionary<string, string>> ReadAsync(Kubernetes client, CancellationToken cancellationToken)
    {
        var list = await client.CoreV1.ListServiceForAllNamespacesAsync(labelSelector: BenchCluster.ServiceSelector, cancellationToken: cancellationToken);
        return list.Items.ToDictionary(
            s => $"{s.Metadata.NamespaceProperty}/{s.Metadata.Name}",
            s => s.Status?.LoadBalancer?.Ingress?.FirstOrDefault(i => !string.IsNullOrEmpty(i.Ip))?.Ip ?? "",
            StringComparer.Ordinal);
    }

    /// <summary>How many Services of <paramref name="before"/> have no address, or another one, in <paramref name="after"/>.</summary>
    public static int Changed(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after) =>
        before.Count(pair => !after.TryGetValue(pair.Key, out var now) || now != pair.Value);
}
