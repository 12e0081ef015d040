using k8s;
using LbOperator.Entities;
using LbOperator.Framework.Client;
using LbOperator.Framework.Entities;
using LbOperator.Framework.Events;
using LbOperator.LoadBalancing;

namespace LbOperator.Controllers;

/// <summary>
/// Writes a Subnet's status (figures from the IPAM and the Ready / Validated / Error conditions) when it differs from
/// what the Subnet shows, and publishes a Warning Event when a condition newly reports a problem.
/// </summary>
public sealed class SubnetStatusWriter(IKubernetesClient client, IpamState ipam, EventPublisher publish, TimeProvider time)
{
    public const string Ready = "Ready";
    public const string Validated = "Validated";
    public const string Error = "Error";

    /// <summary>One condition to set.</summary>
    public sealed record Condition(string Type, bool Status, string Reason, string Message);

    public async Task<V1Subnet> WriteAsync(
        V1Subnet subnet, IReadOnlyList<Condition> conditions, (string Reason, string Message)? warning, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        ArgumentNullException.ThrowIfNull(conditions);
        var before = KubernetesJson.Serialize(subnet.Status);
        var status = subnet.Status is null ? new V1SubnetStatus() : KubernetesJson.Deserialize<V1SubnetStatus>(before);
        ipam.GetStatus(subnet.Metadata.Name)?.WriteTo(status);
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

        subnet.Status = status;
        subnet = await client.UpdateStatusAsync(subnet, cancellationToken);
        if (conditionsChanged && warning is { } problem)
        {
            await publish(subnet, problem.Reason, MessageText.Cap(problem.Message), EventType.Warning, cancellationToken);
        }

        return subnet;
    }
}
