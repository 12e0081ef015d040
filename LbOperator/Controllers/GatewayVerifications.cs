using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Models;
using LbOperator.Framework.Entities;

namespace LbOperator.Controllers;

/// <summary>
/// Which gateway Deployments were last found equal to what the builder makes, so that the field-by-field comparison
/// (<see cref="GatewayDrift"/>, the costliest step of a reconcile) runs once per change rather than at every status
/// update of the Deployment. A verification holds while the Deployment keeps its uid and its metadata.generation (the
/// API server raises it with every change of the spec) and the desired spec is the same; labels are compared each
/// time, since changing them does not raise the generation.
/// </summary>
public sealed class GatewayVerifications
{
    private readonly ConcurrentDictionary<EntityKey, Verified> _verified = new();

    /// <summary>True when <paramref name="live"/> was found equal to <paramref name="desired"/> and neither changed since.</summary>
    public bool StillHolds(EntityKey service, V1Deployment live, V1Deployment desired)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(desired);
        return _verified.TryGetValue(service, out var verified)
            && verified == Of(live, desired)
            && desired.Metadata.Labels.All(l => live.Metadata.Labels?.TryGetValue(l.Key, out var have) == true && have == l.Value);
    }

    /// <summary><paramref name="live"/> was just found equal to <paramref name="desired"/>.</summary>
    public void Note(EntityKey service, V1Deployment live, V1Deployment desired) => _verified[service] = Of(live, desired);

    public void Forget(EntityKey service) => _verified.TryRemove(service, out _);

    private static Verified Of(V1Deployment live, V1Deployment desired) =>
        new(live.Metadata.Uid, live.Metadata.Generation, Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(KubernetesJson.Serialize(desired.Spec)))));

    private sealed record Verified(string? Uid, long? Generation, string DesiredSpec);
}
