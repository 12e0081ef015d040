using System.Globalization;
using k8s.Models;

namespace LbOperator.LoadBalancing;

/// <summary>
/// How many gateway pods a Service asks for with <see cref="Annotations.GatewayReplicas"/>: a whole number from 1 to
/// <see cref="Max"/>, or nothing (the operator's default). More than one means one pod holds the address and the others
/// stand by on other nodes, ready to take it over.
/// </summary>
public sealed record GatewayReplicaRequest(int? Count)
{
    /// <summary>
    /// Every replica is one more VRRP member on the physical network and needs a node of its own (required
    /// anti-affinity); past a handful they add nothing but traffic.
    /// </summary>
    public const int Max = 5;

    public static RuleResult<GatewayReplicaRequest> Parse(V1Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (service.Metadata?.Annotations?.TryGetValue(Annotations.GatewayReplicas, out var text) != true || text is null)
        {
            return RuleResult<GatewayReplicaRequest>.Success(new GatewayReplicaRequest((int?)null));
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count is >= 1 and <= Max
            ? RuleResult<GatewayReplicaRequest>.Success(new GatewayReplicaRequest(count))
            : RuleResult<GatewayReplicaRequest>.Failure(
                $"Service {ServiceNames.Display(service)}: annotation {Annotations.GatewayReplicas} {MessageText.Quote(text)} is not a whole number " +
                $"from 1 to {Max} (\"2\": one gateway pod holds the address, one stands by on another node)");
    }
}
