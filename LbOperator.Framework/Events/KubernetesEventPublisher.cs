using k8s;
using k8s.Models;
using LbOperator.Framework.Builder;
using LbOperator.Framework.Client;
using LbOperator.Framework.Entities;
using Microsoft.Extensions.Logging;

namespace LbOperator.Framework.Events;

/// <summary>
/// Writes core/v1 Events as client-go's recorder does, without reading any back: each Event gets a new name (the
/// object's name and the time in nanoseconds), and repeats of the same object, reason, message and type are
/// correlated in memory (<see cref="EventCorrelation"/>) into a PATCH of <c>count</c> and <c>lastTimestamp</c>. An
/// Event that expired meanwhile (404) is created anew; after a restart a repeat starts a new Event, as with client-go.
/// </summary>
internal sealed class KubernetesEventPublisher(
    IKubernetesClient client,
    OperatorSettings settings,
    TimeProvider timeProvider,
    ILogger<KubernetesEventPublisher> logger)
{
    private readonly EventCorrelation _seen = new();

    public async Task PublishAsync(
        IKubernetesObject<V1ObjectMeta> entity, string reason, string message, EventType type = EventType.Normal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var @namespace = string.IsNullOrEmpty(entity.Namespace()) ? "default" : entity.Namespace();
        var key = new EventCorrelation.Key(entity.Uid() ?? $"{@namespace}/{entity.Name()}", reason, message, type);
        var now = timeProvider.GetUtcNow().UtcDateTime;
        try
        {
            if (_seen.Repeat(key) is { } repeat)
            {
                var patch = new V1Patch(
                    new System.Text.Json.Nodes.JsonObject
                    {
                        ["count"] = repeat.Count,
                        ["lastTimestamp"] = now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
                    }.ToJsonString(),
                    V1Patch.PatchType.MergePatch);
                try
                {
                    await client.PatchAsync<Corev1Event>(patch, repeat.Name, @namespace, cancellationToken);
                    return;
                }
                catch (k8s.Autorest.HttpOperationException e) when (e.Is(System.Net.HttpStatusCode.NotFound))
                {
                    // Events expire (an hour by default): the repeat starts a new one.
                }
            }

            var created = await client.CreateAsync(
                new Corev1Event
                {
                    Metadata = new V1ObjectMeta { Name = EventName(entity, now), NamespaceProperty = @namespace },
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
            _seen.Created(key, created.Metadata.Name);
        }
#pragma warning disable CA1031 // An Event is a report: failing to write one must never fail the reconcile.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            logger.LogWarning(e, """Could not publish event {Reason} for {Kind} {Key}.""", reason, entity.Kind, EntityKey.Of(entity));
        }
    }

    /// <summary>client-go's naming: the object's name, a dot, and the time in nanoseconds as hex (unique per publisher).</summary>
    internal string EventName(IKubernetesObject<V1ObjectMeta> entity, DateTime now)
    {
        var prefix = entity.Name().Length > 200 ? entity.Name()[..200] : entity.Name();
        var nanos = (now.Ticks - DateTime.UnixEpoch.Ticks) * 100;
        return $"{prefix}.{_seen.UniqueStamp(nanos):x}";
    }
}
