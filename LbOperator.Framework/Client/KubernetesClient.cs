using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using LbOperator.Framework.Entities;
using LbOperator.Framework.Watcher;

namespace LbOperator.Framework.Client;

/// <summary>
/// <see cref="IKubernetesClient"/> over the official client's authenticated <see cref="HttpClient"/>: paths are
/// built from the entity type's [KubernetesEntity], bodies are (de)serialised with the official JSON settings.
/// One path builder serves core, grouped and custom kinds, which the official typed and generic clients do not.
/// </summary>
internal sealed class KubernetesClient(Kubernetes kubernetes, KubernetesClientConfiguration configuration, OwnWrites? ownWrites = null) : IKubernetesClient
{
    private const int ListPageSize = 500;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    public Uri BaseUri => kubernetes.BaseUri;

    public IKubernetes ApiClient => kubernetes;

    public string GetCurrentNamespace(string downwardApiEnvName = "POD_NAMESPACE")
    {
        if (!string.IsNullOrEmpty(configuration.Namespace))
        {
            return configuration.Namespace;
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(downwardApiEnvName);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        const string serviceAccountNamespace = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";
        return File.Exists(serviceAccountNamespace) ? File.ReadAllText(serviceAccountNamespace).Trim() : "default";
    }

    public async Task<TEntity?> GetAsync<TEntity>(string name, string? @namespace = null, CancellationToken cancellationToken = default)
        where TEntity : IKubernetesObject<V1ObjectMeta>
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, ResourcePath.Object<TEntity>(@namespace, name));
        using var response = await SendAsync(request, HttpStatusCode.NotFound, cancellationToken);
        return response.StatusCode == HttpStatusCode.NotFound ? default : await ReadAsync<TEntity>(response, cancellationToken);
    }

    public async Task<IList<TEntity>> ListAsync<TEntity>(
        string? @namespace = null, string? labelSelector = null, string? fieldSelector = null, CancellationToken cancellationToken = default)
        where TEntity : IKubernetesObject<V1ObjectMeta> =>
        (await ListWithResourceVersionAsync<TEntity>(@namespace, labelSelector, fieldSelector, cancellationToken)).Items;

    public async Task<EntityList<TEntity>> ListWithResourceVersionAsync<TEntity>(
        string? @namespace = null, string? labelSelector = null, string? fieldSelector = null, CancellationToken cancellationToken = default)
        where TEntity : IKubernetesObject<V1ObjectMeta>
    {
        var result = new EntityList<TEntity>();
        await foreach (var page in ListPagesAsync<TEntity>(@namespace, labelSelector, fieldSelector, cancellationToken))
        {
            foreach (var item in page.Items)
            {
                result.Items.Add(item);
            }

            result.Metadata = page.Metadata;
        }

        var metadata = EntityMetadata.For<TEntity>();
        result.ApiVersion = metadata.GroupWithVersion;
        result.Kind = metadata.ListKind;
        return result;
    }

    public async IAsyncEnumerable<EntityList<TEntity>> ListPagesAsync<TEntity>(
        string? @namespace = null, string? labelSelector = null, string? fieldSelector = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        where TEntity : IKubernetesObject<V1ObjectMeta>
    {
        var metadata = EntityMetadata.For<TEntity>();
        string? continueToken = null;
        do
        {
            var query = new QueryBuilder()
                .Add("labelSelector", labelSelector)
                .Add("fieldSelector", fieldSelector)
                .Add("limit", ListPageSize.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Add("continue", continueToken);
            EntityList<TEntity> page;
            using (var request = new HttpRequestMessage(HttpMethod.Get, ResourcePath.Collection<TEntity>(@namespace) + query))
            using (var response = await SendAsync(request, null, cancellationToken))
            {
                page = await ReadAsync<EntityList<TEntity>>(response, cancellationToken);
            }

            foreach (var item in page.Items)
            {
                item.WithTypeMeta();
            }

            page.Metadata ??= new V1ListMeta();
            page.ApiVersion = metadata.GroupWithVersion;
            page.Kind = metadata.ListKind;
            continueToken = page.Metadata.ContinueProperty;
            yield return page;
        }
        while (!string.IsNullOrEmpty(continueToken));
    }

    public Task<TEntity> CreateAsync<TEntity>(TEntity entity, CancellationToken cancellationToken = default)
        where TEntity : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(entity);
        entity.WithTypeMeta();
        return WriteAsync(HttpMethod.Post, ResourcePath.Collection<TEntity>(entity.Namespace()), entity, cancellationToken);
    }

    public Task<TEntity> UpdateAsync<TEntity>(TEntity entity, CancellationToken cancellationToken = default)
        where TEntity : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(entity);
        entity.WithTypeMeta();
        return WriteAsync(HttpMethod.Put, ResourcePath.Object<TEntity>(entity.Namespace(), entity.Name()), entity, cancellationToken);
    }

    public Task<TEntity> UpdateStatusAsync<TEntity>(TEntity entity, CancellationToken cancellationToken = default)
        where TEntity : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(entity);
        entity.WithTypeMeta();
        return WriteAsync(HttpMethod.Put, ResourcePath.Object<TEntity>(entity.Namespace(), entity.Name()) + "/status", entity, cancellationToken);
    }

    public Task<TEntity> PatchAsync<TEntity>(V1Patch patch, string name, string? @namespace = null, CancellationToken cancellationToken = default)
        where TEntity : IKubernetesObject<V1ObjectMeta> =>
        SendPatchAsync<TEntity>(ResourcePath.Object<TEntity>(@namespace, name), patch, cancellationToken);

    public Task<TEntity> PatchStatusAsync<TEntity>(V1Patch patch, string name, string? @namespace = null, CancellationToken cancellationToken = default)
        where TEntity : IKubernetesObject<V1ObjectMeta> =>
        SendPatchAsync<TEntity>(ResourcePath.Object<TEntity>(@namespace, name) + "/status", patch, cancellationToken);

    public Task DeleteAsync<TEntity>(string name, string? @namespace = null, CancellationToken cancellationToken = default)
        where TEntity : IKubernetesObject<V1ObjectMeta> =>
        DeleteAsync<TEntity>(name, @namespace, uid: null, cancellationToken);

    public Task DeleteAsync<TEntity>(string name, string? @namespace, string? uid, CancellationToken cancellationToken = default)
        where TEntity : IKubernetesObject<V1ObjectMeta> =>
        SendDeleteAsync<TEntity>(name, @namespace, uid is null ? null : new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = uid } }, cancellationToken);

    public Task DeleteAsync<TEntity>(string name, string? @namespace, V1DeleteOptions options, CancellationToken cancellationToken = default)
        where TEntity : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(options);
        return SendDeleteAsync<TEntity>(name, @namespace, options, cancellationToken);
    }

    private async Task SendDeleteAsync<TEntity>(string name, string? @namespace, V1DeleteOptions? options, CancellationToken cancellationToken)
        where TEntity : IKubernetesObject<V1ObjectMeta>
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, ResourcePath.Object<TEntity>(@namespace, name));
        if (options is not null)
        {
            options.ApiVersion = "v1";
            options.Kind = "DeleteOptions";
            request.Content = new StringContent(KubernetesJson.Serialize(options), Encoding.UTF8, "application/json");
        }

        using var response = await SendAsync(request, HttpStatusCode.NotFound, cancellationToken);
        // Deleted in the foreground, the object stays until its dependents are gone: the watch says when.
        if (options?.PropagationPolicy != "Foreground")
        {
            ownWrites?.Deleted<TEntity>(name, @namespace, options?.Preconditions?.Uid);
        }
    }

    public async IAsyncEnumerable<(WatchEventType Type, TEntity Entity)> WatchAsync<TEntity>(
        string? @namespace = null,
        string? resourceVersion = null,
        string? labelSelector = null,
        string? fieldSelector = null,
        bool? allowWatchBookmarks = true,
        int? timeoutSeconds = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where TEntity : IKubernetesObject<V1ObjectMeta>
    {
        var query = new QueryBuilder()
            .Add("watch", "true")
            .Add("resourceVersion", resourceVersion)
            .Add("labelSelector", labelSelector)
            .Add("fieldSelector", fieldSelector)
            .Add("allowWatchBookmarks", allowWatchBookmarks is null ? null : allowWatchBookmarks.Value ? "true" : "false")
            .Add("timeoutSeconds", timeoutSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var request = new HttpRequestMessage(HttpMethod.Get, ResourcePath.Collection<TEntity>(@namespace) + query);
        using var response = await SendAsync(request, null, cancellationToken, streaming: true);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var watchEvent = WatchEventParser.Parse<TEntity>(line);
            yield return watchEvent;
        }
    }

    private async Task<TEntity> SendPatchAsync<TEntity>(string path, V1Patch patch, CancellationToken cancellationToken)
        where TEntity : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(patch);
        var body = patch.Content as string ?? KubernetesJson.Serialize(patch.Content);
        using var request = new HttpRequestMessage(HttpMethod.Patch, path);
        request.Content = new StringContent(body, Encoding.UTF8);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(PatchMediaType(patch.Type));
        using var response = await SendAsync(request, null, cancellationToken);
        return Written((await ReadAsync<TEntity>(response, cancellationToken)).WithTypeMeta());
    }

    private static string PatchMediaType(V1Patch.PatchType type) => type switch
    {
        V1Patch.PatchType.JsonPatch => "application/json-patch+json",
        V1Patch.PatchType.MergePatch => "application/merge-patch+json",
        V1Patch.PatchType.StrategicMergePatch => "application/strategic-merge-patch+json",
        V1Patch.PatchType.ApplyPatch => "application/apply-patch+yaml",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown patch type."),
    };

    private async Task<TEntity> WriteAsync<TEntity>(HttpMethod method, string path, TEntity entity, CancellationToken cancellationToken)
        where TEntity : IKubernetesObject<V1ObjectMeta>
    {
        using var request = new HttpRequestMessage(method, path);
        request.Content = new StringContent(KubernetesJson.Serialize(entity), Encoding.UTF8, "application/json");
        using var response = await SendAsync(request, null, cancellationToken);
        return Written((await ReadAsync<TEntity>(response, cancellationToken)).WithTypeMeta());
    }

    /// <summary>The answer of a write, also handed to the cache of its kind so the next reconcile reads what was written.</summary>
    private TEntity Written<TEntity>(TEntity written)
        where TEntity : IKubernetesObject<V1ObjectMeta>
    {
        ownWrites?.Wrote(written);
        return written;
    }

    private async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request, HttpStatusCode? tolerated, CancellationToken cancellationToken, bool streaming = false)
    {
        request.RequestUri = new Uri(kubernetes.BaseUri, request.RequestUri!.ToString());
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (kubernetes.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (!streaming)
        {
            timeout.CancelAfter(RequestTimeout);
        }

        var response = await kubernetes.HttpClient.SendAsync(
            request, streaming ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead, timeout.Token);
        if (response.IsSuccessStatusCode || response.StatusCode == tolerated)
        {
            return response;
        }

        using (response)
        {
            var content = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpOperationException(
                $"{request.Method} {request.RequestUri.AbsolutePath} answered {(int)response.StatusCode} {response.StatusCode}: {ApiError.MessageOf(content)}")
            {
                Request = new HttpRequestMessageWrapper(request, null),
                Response = new HttpResponseMessageWrapper(response, content),
                Body = ApiError.StatusOf(content),
            };
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return KubernetesJson.Deserialize<T>(stream)
            ?? throw new JsonException($"The API server answered {response.RequestMessage?.RequestUri} with an empty body.");
    }
}
