using k8s.Models;
using LbOperator.Framework.Watcher;
using LbOperator.Gateway;

namespace LbOperator.Controllers;

/// <summary>
/// The operator watches only the Deployments it labels as its gateways. A Deployment that loses the label leaves the
/// cache (the watch reports it deleted): its Service's reconcile then meets it on create (AlreadyExists), reads it
/// once, and restores it when it is the Service's own gateway. Gateway PodDisruptionBudgets carry the same label.
/// </summary>
public sealed class GatewayDeploymentSelector : IEntityLabelSelector<V1Deployment>, IEntityLabelSelector<V1PodDisruptionBudget>
{
    public ValueTask<string?> GetLabelSelectorAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<string?>($"{GatewayBuilder.ManagedByLabel}={GatewayBuilder.ManagedBy}");
}
