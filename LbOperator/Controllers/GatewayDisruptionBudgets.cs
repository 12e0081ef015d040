using k8s.Autorest;
using k8s.Models;
using LbOperator.Framework.Client;
using LbOperator.Framework.Watcher;
using LbOperator.Gateway;
using Microsoft.Extensions.Logging;

namespace LbOperator.Controllers;

/// <summary>
/// Keeps a highly available gateway's PodDisruptionBudget as built (<see cref="GatewayDisruptionBudget"/>), and
/// deletes the one of a gateway that is single again or gone. Read from the cache (budgets labelled as gateways are
/// watched); written only when something differs. A budget of that name the Service does not control is left alone.
/// </summary>
public sealed class GatewayDisruptionBudgets(IKubernetesClient client, IEntityCache<V1PodDisruptionBudget> budgets, ILogger<GatewayDisruptionBudgets> logger)
{
    /// <summary>Makes the gateway's budget what <paramref name="gateway"/> needs: one when it runs several pods, none otherwise.</summary>
    public async Task<string?> EnsureAsync(V1Service service, V1Deployment gateway, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(gateway);
        var existing = budgets.Get(gateway.Name(), gateway.Namespace());
        if ((gateway.Spec?.Replicas ?? 1) <= 1)
        {
            await DeleteAsync(service, cancellationToken);
            return null;
        }

        var desired = GatewayDisruptionBudget.Build(gateway);
        var name = gateway.Name();
        try
        {
            if (existing is null)
            {
                await client.CreateAsync(desired, cancellationToken);
                logger.CreatedBudget(name);
                return null;
            }

            if (!GatewayOwnership.IsControlledBy(existing.Metadata, service))
            {
                return $"PodDisruptionBudget {existing.Namespace()}/{existing.Name()} exists and is not this Service's; the gateway has no disruption budget";
            }

            var differences = GatewayDisruptionBudget.Differences(existing, desired);
            if (differences.Count > 0)
            {
                var changed = string.Join(", ", differences);
                logger.RestoringBudget(name, changed);
                existing.Spec = desired.Spec;
                existing.Metadata.Labels = new Dictionary<string, string>(existing.Metadata.Labels ?? new Dictionary<string, string>());
                foreach (var (key, value) in desired.Metadata.Labels)
                {
                    existing.Metadata.Labels[key] = value;
                }
                await client.UpdateAsync(existing, cancellationToken);
            }
        }
        catch (HttpOperationException e) when (ApiError.StatusCodeOf(e) is { } code and not System.Net.HttpStatusCode.Conflict)
        {
            return $"writing PodDisruptionBudget {desired.Namespace()}/{desired.Name()} failed: {(int)code} {e.Message}";
        }

        return null;
    }

    /// <summary>Deletes the Service's gateway budget, if it has one it controls.</summary>
    public async Task DeleteAsync(V1Service service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        var name = GatewayNames.Deployment(service.Name());
        if (budgets.Get(name, service.Namespace()) is { } existing && GatewayOwnership.IsControlledBy(existing.Metadata, service))
        {
            await client.DeleteAsync<V1PodDisruptionBudget>(name, service.Namespace(), existing.Metadata.Uid, cancellationToken);
            logger.DeletedBudget(name);
        }
    }
}
