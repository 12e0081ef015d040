using System.Net;
using System.Numerics;

namespace LbOperator.Sandbox.Controllers;

/// <summary>
/// The default pod runtime: starts nothing, answers Ready at once with the lowest free address of the pod's node's
/// pod CIDR (network and first address skipped), and frees the address when the pod stops.
/// </summary>
public sealed class SimulatedPodRuntime(IReadOnlyList<SandboxNode> nodes) : IPodRuntime
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, IPAddress> _byPod = new(StringComparer.Ordinal);
    private readonly HashSet<IPAddress> _used = [];

    public Task<PodRuntimeStatus> StartPodAsync(PodRuntimeRequest pod, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_byPod.TryGetValue(pod.Uid, out var address))
            {
                address = NextFree(nodes.FirstOrDefault(n => n.Name == pod.NodeName)?.PodCidr ?? nodes[0].PodCidr);
                _byPod[pod.Uid] = address;
                _used.Add(address);
            }

            return Task.FromResult(new PodRuntimeStatus([address]));
        }
    }

    public Task StopPodAsync(PodRuntimeRequest pod, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_byPod.Remove(pod.Uid, out var address))
            {
                _used.Remove(address);
            }
        }

        return Task.CompletedTask;
    }

    private IPAddress NextFree(IPNetwork podCidr)
    {
        var size = AddressMath.Size(podCidr);
        for (var offset = BigInteger.One * 2; offset < size - 1; offset++)
        {
            var candidate = AddressMath.At(podCidr, offset);
            if (!_used.Contains(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"pod CIDR {podCidr} is exhausted");
    }
}
