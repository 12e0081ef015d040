using k8s;
using k8s.Models;
using LbOperator.Framework.Entities;

namespace LbOperator.Framework.Client;

/// <summary>
/// Typed access to any kind with a [KubernetesEntity] attribute: core (<c>/api/v1</c>), apps and other built-in
/// groups, and custom resources alike (KubeOps' <c>IKubernetesClient</c>). A missing namespace means
/// cluster-wide for lists and watches and cluster-scoped for single objects. Failed requests throw the official
/// client's <see cref="k8s.Autorest.HttpOperationException"/> with the response (status code and body), so code
/// that catches it works with either client. Always continue with the object a write returns: it carries the
/// new resourceVersion, and writing an older one is answered with 409 Conflict.
/// </summary>
public interface IKubernetesClient
{
    /// <summary>The API server's address.</summary>
    Uri BaseUri { get; }

    /// <summary>The official client, for calls this interface does not cover.</summary>
    IKubernetes ApiClient { get; }

    /// <summary>
    /// The namespace the operator runs in: the kubeconfig context's namespace, else the environment variable
    /// <paramref name="downwardApiEnvName"/>, else the service account's namespace file, else <c>default</c>.
    /// </summary>
    string GetCurrentNamespace(string downwardApiEnvName = "POD_NAMESPACE");

    /// <summary>Reads one object; null when it does not exist.</summary>
    Task<TEntity?> GetAsync<TEntity>(string name, string? @namespace = null, CancellationToken cancellationToken = default)
        where TEntity : IKubernetesObject<V1ObjectMeta>;

    /// <summary>Lists objects (all pages).</summary>
    Task<IList<TEntity>> ListAsync<TEntity>(
        string? @namespace = null, string? labelSelector = null, string? fieldSelector = null, CancellationToken cancellationToken = default)
        where TEntity : IKubernetesObject<V1ObjectMeta>;

    /// <summary>Lists objects (all pages) together with the list's resourceVersion, the point to watch from.</summary>
    Task<EntityList<TEntity>> ListWithResourceVersionAsync<TEntity>(
        string? @namespace = null, string? labelSelector = null, string? fieldSelector = null, CancellationToken cancellationToken = default)
        where TEntity : IKubernetesObject<V1ObjectMeta>;

    /// <summary>
    /// Lists objects one page at a time, so a caller that handles each object and drops it never holds the whole
    /// collection (the pages of one LIST share its resourceVersion, the point to watch from).
    /// </summary>
    IAsyncEnumerable<EntityList<TEntity>> ListPagesAsync<TEntity>(
        string? @namespace = null, string? labelSelector = null, string? fieldSelector = null, CancellationToken cancellationToken = default)
        where TEntity : IKubernetesObject<V1ObjectMeta>;

    Task<TEntity> CreateAsync<TEntity>(TEntity entity, CancellationToken cancellationToken = default)
        where TEntity : IKubernetesObject<V1ObjectMeta>;

    /// <summary>Replaces the object (PUT); the entity's resourceVersion makes it optimistic.</summary>
    Task<TEntity> UpdateAsync<TEntity>(TEntity entity, CancellationToken cancellationToken = default)
        where TEntity : IKubernetesObject<V1ObjectMeta>;

    /// <summary>Replaces the object's status through the status subresource (PUT .../status).</summary>
    Task<TEntity> UpdateStatusAsync<TEntity>(TEntity entity, CancellationToken cancellationToken = default)
        where TEntity : IKubernetesObject<V1ObjectMeta>;

    /// <summary>Patches the object; the patch type (merge, strategic merge, JSON patch, apply) comes from <paramref name="patch"/>.</summary>
    Task<TEntity> PatchAsync<TEntity>(V1Patch patch, string name, string? @namespace = null, CancellationToken cancellationToken = default)
        where TEntity : IKubernetesObject<V1ObjectMeta>;

    /// <summary>Patches the object's status subresource.</summary>
    Task<TEntity> PatchStatusAsync<TEntity>(V1Patch patch, string name, string? @namespace = null, CancellationToken cancellationToken = default)
        where TEntity : IKubernetesObject<V1ObjectMeta>;

    /// <summary>Deletes the object; an object that is already gone is not an error.</summary>
    Task DeleteAsync<TEntity>(string name, string? @namespace = null, CancellationToken cancellationToken = default)
        where TEntity : IKubernetesObject<V1ObjectMeta>;

    /// <summary>
    /// Deletes the object only while its uid is <paramref name="uid"/> (a precondition: 409 Conflict when the name
    /// belongs to another object now); an object that is already gone is not an error.
    /// </summary>
    Task DeleteAsync<TEntity>(string name, string? @namespace, string? uid, CancellationToken cancellationToken = default)
        where TEntity : IKubernetesObject<V1ObjectMeta>;

    /// <summary>
    /// Deletes the object with <paramref name="options"/> (preconditions, a propagation policy: with <c>Foreground</c>
    /// the object stays, with a deletionTimestamp, until its dependents are gone); an object already gone is not an error.
    /// </summary>
    Task DeleteAsync<TEntity>(string name, string? @namespace, V1DeleteOptions options, CancellationToken cancellationToken = default)
        where TEntity : IKubernetesObject<V1ObjectMeta>;

    /// <summary>
    /// Watches objects from <paramref name="resourceVersion"/>. The sequence ends when the server closes the
    /// stream; an ERROR event throws <see cref="KubernetesException"/> carrying the server's status (410 Gone:
    /// the version is too old, list again).
    /// </summary>
    IAsyncEnumerable<(WatchEventType Type, TEntity Entity)> WatchAsync<TEntity>(
        string? @namespace = null,
        string? resourceVersion = null,
        string? labelSelector = null,
        string? fieldSelector = null,
        bool? allowWatchBookmarks = true,
        int? timeoutSeconds = null,
        CancellationToken cancellationToken = default)
        where TEntity : IKubernetesObject<V1ObjectMeta>;

    /// <summary>Patches <paramref name="entity"/> by its name and namespace.</summary>
    Task<TEntity> PatchAsync<TEntity>(TEntity entity, V1Patch patch, CancellationToken cancellationToken = default)
        where TEntity : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(entity);
        return PatchAsync<TEntity>(patch, entity.Name(), entity.Namespace(), cancellationToken);
    }

    /// <summary>Deletes <paramref name="entity"/> by its name and namespace.</summary>
    Task DeleteAsync<TEntity>(TEntity entity, CancellationToken cancellationToken = default)
        where TEntity : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(entity);
        return DeleteAsync<TEntity>(entity.Name(), entity.Namespace(), cancellationToken);
    }

    /// <summary>Creates the object, or replaces it when it exists (keeping the server's resourceVersion).</summary>
    async Task<TEntity> SaveAsync<TEntity>(TEntity entity, CancellationToken cancellationToken = default)
        where TEntity : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(entity);
        var existing = await GetAsync<TEntity>(entity.Name(), entity.Namespace(), cancellationToken);
        if (existing is null)
        {
            return await CreateAsync(entity, cancellationToken);
        }

        entity.Metadata.ResourceVersion = existing.Metadata.ResourceVersion;
        return await UpdateAsync(entity, cancellationToken);
    }
}
