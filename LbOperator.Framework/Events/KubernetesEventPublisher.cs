using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Models;
using LbOperator.Framework.Builder;
using LbOperator.Framework.Client;
using LbOperator.Framework.Entities;
using Microsoft.Extensions.Logging;

namespace LbOperator.Framework.Events;

/// <summary>
/// Writes core/v1 Events. One Event per object, reason, message and type (its name is the object's name plus a
/// hash of those), so repeats increase <c>count</c> and move <c>lastTimestamp</c> instead of adding Events.
/// </summary>
internal sealed class KubernetesEventPublisher(
    IKubernetesClient client,
    OperatorSettings settings,
    TimeProvider timeProvider,
    ILogger<KubernetesEventPublisher> logger)
{
    public async Task PublishAsync(
        IKubernetesObject<V1ObjectMeta> entity, string reason, string message, EventType type = EventType.Normal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var @namespace = string.IsNullOrEmpty(entity.Namespace()) ? "default" : entity.Namespace();
        var name = EventName(entity, reason, message, type);
        var now = timeProvider.GetUtcNow().UtcDateTime;
        try
        {
            var existing = await client.GetAsync<Corev1Event>(name, @namespace, cancellationToken);
            if (existing is not null)
            {
                existing.Count = (existing.Count ?? 1) + 1;
                existing.LastTimestamp = now;
                await client.UpdateAsync(existing, cancellationToken);
                return;
            }

            await client.CreateAsync(
                new Corev1Event
                {
                    Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = @namespace },
                    InvolvedObject = entity.MakeObjectReference(),
                    Reason = reason,
                    Message = message,
                    Type = type.ToString(),
                    Count = 1,
                    FirstTimestamp = now,
                    LastTimestamp = now,
                    Source = new V1EventSource { Component = settings.Name },
                    ReportingComponent = settings.Name,
                    ReportingInstance = settings.LeaderElectionIdentity,
                    Action = reason,
                },
                cancellationToken);
        }
#pragma warning disable CA1031 // An Event is a report: failing to write one must never fail the reconcile.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            logger.LogWarning(e, """Could not publish event {Reason} for {Kind} {Key}.""", reason, entity.Kind, EntityKey.Of(entity));
        }
    }

    internal static string EventName(IKubernetesObject<V1ObjectMeta> entity, string reason, string message, EventType type)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{entity.Uid()}.{entity.Name()}.{entity.Namespace()}.{reason}.{message}.{type}"));
        var prefix = entity.Name().Length > 200 ? entity.Name()[..200] : entity.Name();
        return $"{prefix}.{Convert.ToHexString(hash)[..16].ToLowerInvariant()}";
    }
}
