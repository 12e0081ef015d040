using System.Net;

namespace LbOperator.Sandbox;

/// <summary>
/// One node of the sandbox cluster: the Node object the sandbox registers, the address pods on it report as
/// <c>status.hostIP</c>, and the pod addresses its kubelet hands out.
/// </summary>
/// <param name="Name">The Node's name, also its <c>kubernetes.io/hostname</c> label.</param>
/// <param name="InternalIp">The node's InternalIP address.</param>
/// <param name="PodCidr">The node's <c>spec.podCIDR</c>.</param>
public sealed record SandboxNode(string Name, IPAddress InternalIp, IPNetwork PodCidr)
{
    /// <summary>The name of the only node of a one-node cluster (what the sandbox always had).</summary>
    public const string SingleNodeName = "sandbox-node";

    /// <summary>Labels besides the well-known ones every node carries (hostname, os, arch).</summary>
    public IReadOnlyDictionary<string, string> ExtraLabels { get; init; } = new Dictionary<string, string>();

    /// <summary>Every label of the Node: the well-known ones a kubelet sets, then <see cref="ExtraLabels"/>.</summary>
    public IReadOnlyDictionary<string, string> Labels
    {
        get
        {
            var labels = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["kubernetes.io/hostname"] = Name,
                ["kubernetes.io/os"] = "linux",
                ["kubernetes.io/arch"] = "amd64",
            };
            foreach (var (key, value) in ExtraLabels)
            {
                labels[key] = value;
            }

            return labels;
        }
    }

    /// <summary>
    /// The nodes of a cluster of <paramref name="count"/>: one node keeps the name <c>sandbox-node</c>, 172.18.0.2
    /// and the pod CIDR 10.16.0.0/16 (and kind's control-plane role label); several are <c>sandbox-node-1</c> … with 172.18.0.(1+i) and 10.16.i.0/24.
    /// </summary>
    public static IReadOnlyList<SandboxNode> Cluster(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, 8);
        if (count == 1)
        {
            // Like kind's single node, which is its control plane and runs every pod.
            return [new SandboxNode(SingleNodeName, IPAddress.Parse("172.18.0.2"), IPNetwork.Parse("10.16.0.0/16"))
            {
                ExtraLabels = new Dictionary<string, string> { ["node-role.kubernetes.io/control-plane"] = "" },
            }];
        }

        return [.. Enumerable.Range(1, count).Select(i => new SandboxNode(
            $"{SingleNodeName}-{i}", IPAddress.Parse($"172.18.0.{1 + i}"), IPNetwork.Parse($"10.16.{i}.0/24")))];
    }
}
