using System.Text;
using k8s;
using LbOperator.Sandbox.Api;
using LbOperator.Sandbox.Controllers;
using LbOperator.Sandbox.Faults;
using LbOperator.Sandbox.Requests;
using LbOperator.Sandbox.Storage;
using Microsoft.AspNetCore.Builder;

namespace LbOperator.Sandbox;

/// <summary>A started sandbox. Dispose to stop the extra services, the controllers and the HTTP server.</summary>
public sealed class RunningSandbox : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IReadOnlyList<Controller> _controllers;
    private readonly List<Task> _tasks;
    private readonly CancellationTokenSource _stopping;
    private readonly CancellationTokenSource _servicesStopping = new();
    private readonly List<Task> _services = [];

    internal RunningSandbox(
        Uri baseAddress, WebApplication app, ResourceService api, SandboxFaults faults, RequestCounter requests,
        IReadOnlyList<Controller> controllers, List<Task> tasks, CancellationTokenSource stopping)
    {
        BaseAddress = baseAddress;
        _app = app;
        Api = api;
        Faults = faults;
        Requests = requests;
        _controllers = controllers;
        _tasks = tasks;
        _stopping = stopping;
    }

    /// <summary><c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Fault injection for reliability tests.</summary>
    public SandboxFaults Faults { get; }

    /// <summary>The API requests served over HTTP, counted by client, verb, resource and answer (<c>/sandbox/requests</c>).</summary>
    public RequestCounter Requests { get; }

    /// <summary>The server's API semantics without HTTP, for white-box tests and in-process composition.</summary>
    public ResourceService Api { get; }

    /// <summary>The served resource types (built-in kinds and established CRDs).</summary>
    public ResourceRegistry Registry => Api.Registry;

    /// <summary>The object store, for white-box tests.</summary>
    public ObjectStore Store => Api.Store;

    /// <summary>A configuration for KubernetesClient pointing at this server (no credentials).</summary>
    public KubernetesClientConfiguration ClientConfiguration => new() { Host = BaseAddress.ToString().TrimEnd('/') };

    /// <summary>A new KubernetesClient for this server; the caller disposes it.</summary>
    public Kubernetes CreateClient() => new(ClientConfiguration);

    /// <summary>
    /// Writes a kubeconfig (cluster, user and context all named <c>sandbox</c>) for kubectl and clients. The user
    /// carries a placeholder token because KubernetesClient refuses a user without credentials; the server
    /// ignores it.
    /// </summary>
    public void WriteKubeconfig(string path)
    {
        var server = BaseAddress.ToString().TrimEnd('/');
        var text = new StringBuilder()
            .AppendLine("apiVersion: v1")
            .AppendLine("kind: Config")
            .AppendLine("clusters:")
            .AppendLine("- name: sandbox")
            .AppendLine("  cluster:")
            .AppendLine($"    server: {server}")
            .AppendLine("contexts:")
            .AppendLine("- name: sandbox")
            .AppendLine("  context:")
            .AppendLine("    cluster: sandbox")
            .AppendLine("    user: sandbox")
            .AppendLine("    namespace: default")
            .AppendLine("current-context: sandbox")
            .AppendLine("preferences: {}")
            .AppendLine("users:")
            .AppendLine("- name: sandbox")
            .AppendLine("  user:")
            .AppendLine("    token: sandbox")
            .ToString();
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, text);
    }

    internal void StartAdditionalServices(IReadOnlyList<ISandboxService> services)
    {
        foreach (var service in services)
        {
            _services.Add(Task.Run(() => service.RunAsync(this, _servicesStopping.Token), CancellationToken.None));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _servicesStopping.CancelAsync();
        await WhenAllQuietly(_services);
        Faults.DropWatches();
        await _app.StopAsync(CancellationToken.None);
        await _stopping.CancelAsync();
        await WhenAllQuietly(_tasks);
        foreach (var controller in _controllers)
        {
            controller.Dispose();
        }

        await _app.DisposeAsync();
        Faults.Dispose();
        _stopping.Dispose();
        _servicesStopping.Dispose();
    }

    private static async Task WhenAllQuietly(IEnumerable<Task> tasks)
    {
        try
        {
            await Task.WhenAll(tasks);
        }
        catch (OperationCanceledException)
        {
            // Stopped as asked.
        }
    }
}
