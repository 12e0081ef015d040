using System.Collections.Concurrent;
using k8s;
using LbOperator.Framework.Queue;
using LbOperator.Framework.Reconciliation;
using LbOperator.Entities;
using LbOperator.Framework.Client;
using LbOperator.Framework.Entities;
using LbOperator.Framework.Events;
using LbOperator.LoadBalancing;

namespace LbOperator.Controllers;

/// <summary>
/// Writes a Subnet's status (figures from the IPAM and the Ready / Validated / Error conditions) when it differs from
/// what the Subnet shows, and publishes a Warning Event when a condition newly reports a problem. Writes are
/// coalesced: at most one per Subnet every <see cref="MinimumInterval"/>; a change within it is written when the
/// interval ends, from the figures of that moment, so a burst of allocations costs two writes a second and the status
/// is exact once the burst settles.
/// </summary>
public sealed class SubnetStatusWriter(
    IKubernetesClient client, IpamState ipam, EntityQueue<V1Subnet> requeue, EventPublisher publish, KubeOvnMode kubeOvn, TimeProvider time)
{
    /// <summary>The shortest time between two status writes of one Subnet.</summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(500);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastWrite = new(StringComparer.Ordinal);

    public const string Ready = "Ready";
    public const string Validated = "Validated";
    public const string Error = "Error";

    /// <summary>The Subnet is gone: its pacing goes too.</summary>
    public void Forget(string subnet) => _lastWrite.TryRemove(subnet, out _);

    /// <summary>One condition to set.</summary>
    public sealed record Condition(string Type, bool Status, string Reason, string Message);

    public async Task<V1Subnet> WriteAsync(
        V1Subnet subnet, IReadOnlyList<Condition> conditions, (string Reason, string Message)? warning, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        ArgumentNullException.ThrowIfNull(conditions);
        var before = KubernetesJson.Serialize(subnet.Status);
        var status = subnet.Status is null ? new V1SubnetStatus() : KubernetesJson.Deserialize<V1SubnetStatus>(before);
        // Beside Kube-OVN the figures are Kube-OVN's to write; the conditions stay this operator's.
        if (!kubeOvn.IsOn)
        {
            ipam.GetStatus(subnet.Metadata.Name)?.WriteTo(status);
        }

        status.Conditions ??= [];
        var now = time.GetUtcNow().UtcDateTime;
        var conditionsChanged = false;
        foreach (var condition in conditions)
        {
            conditionsChanged |= ConditionList.Set(
                status.Conditions, condition.Type, condition.Status, condition.Reason, MessageText.Cap(condition.Message), subnet.Metadata.Generation, now);
        }

        if (KubernetesJson.Serialize(status) == before)
        {
            return subnet;
        }

        var name = subnet.Metadata.Name;
        if (_lastWrite.TryGetValue(name, out var last) && now - last < MinimumInterval)
        {
            // Written a moment ago: this change (and any that follows meanwhile) is written when the interval ends.
            await requeue(subnet, ReconciliationType.Modified, ReconciliationTriggerSource.Operator, MinimumInterval - (now - last), 0, cancellationToken);
            return subnet;
        }

        _lastWrite[name] = now;
        subnet.Status = status;
        subnet = await client.UpdateStatusAsync(subnet, cancellationToken);
        if (conditionsChanged && warning is { } problem)
        {
            await publish(subnet, problem.Reason, MessageText.Cap(problem.Message), EventType.Warning, cancellationToken);
        }

        return subnet;
    }
}
