using k8s;
using k8s.Models;
using LbOperator.Framework.Builder;
using LbOperator.Framework.Client;
using LbOperator.Framework.Hosting;
using LbOperator.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace LbOperator.Tests.Framework.Runtime;

/// <summary>
/// A sandbox API server, a namespace of its own and the operators a test starts against it (short timings, health
/// endpoints on a free loopback port). Disposing stops the operators, then the server.
/// </summary>
internal sealed class OperatorTestEnvironment : IAsyncDisposable
{
    private readonly List<WebApplication> _operators = [];
    private readonly Kubernetes _kubernetes;

    private OperatorTestEnvironment(RunningSandbox sandbox, string @namespace)
    {
        Sandbox = sandbox;
        Namespace = @namespace;
        _kubernetes = sandbox.CreateClient();
        Client = new KubernetesClient(_kubernetes, sandbox.ClientConfiguration);
    }

    public RunningSandbox Sandbox { get; private set; }

    public string Namespace { get; }

    /// <summary>A client for the test's own reads and writes.</summary>
    public IKubernetesClient Client { get; }

    public static async Task<OperatorTestEnvironment> StartAsync()
    {
        var sandbox = await SandboxServer.StartAsync(Options(port: 0));
        var environment = new OperatorTestEnvironment(sandbox, $"fw-{Guid.NewGuid().ToString("N")[..8]}");
        await environment.CreateNamespaceAsync();
        return environment;
    }

    /// <summary>Stops the API server (as in an outage); operators keep running.</summary>
    public async Task StopSandboxAsync() => await Sandbox.DisposeAsync();

    /// <summary>Starts an empty API server on the same address (with the test's namespace).</summary>
    public async Task StartSandboxAgainAsync()
    {
        Sandbox = await SandboxServer.StartAsync(Options(Sandbox.BaseAddress.Port));
        await CreateNamespaceAsync();
    }

    private static SandboxOptions Options(int port) => new() { Port = port, BookmarkInterval = TimeSpan.FromMilliseconds(500) };

    private Task<V1Namespace> CreateNamespaceAsync() => Client.CreateAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } });

    /// <summary>Builds and starts an operator watching the test's namespace.</summary>
    public async Task<WebApplication> StartOperatorAsync(Action<IOperatorBuilder> register, Action<OperatorSettingsBuilder>? configure = null)
    {
        var options = new OperatorHostOptions
        {
            HealthPort = 0,
            HealthBindAddress = "127.0.0.1",
            MinimumLogLevel = LogLevel.Warning,
            ShutdownTimeout = TimeSpan.FromSeconds(5),
            ConfigureSettings = settings =>
            {
                settings.Name = "framework-test";
                settings.Namespace = Namespace;
                settings.LeaderElectionType = LeaderElectionType.None;
                settings.LeaderElectionNamespace = Namespace;
                settings.ErrorBackoffBase = TimeSpan.FromMilliseconds(50);
                settings.ErrorBackoffMax = TimeSpan.FromSeconds(1);
                settings.ConflictRequeueDelay = TimeSpan.FromMilliseconds(20);
                settings.WatchBackoffBase = TimeSpan.FromMilliseconds(50);
                settings.WatchBackoffMax = TimeSpan.FromMilliseconds(500);
                settings.MaxParallelReconciliations = 4;
                configure?.Invoke(settings);
            },
        };
        var app = OperatorHost.Build(Sandbox.ClientConfiguration, options, register);
        _operators.Add(app);
        await app.StartAsync();
        return app;
    }

    public async Task StopOperatorAsync(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (_operators.Remove(app))
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _operators.ToList())
        {
            await StopOperatorAsync(app);
        }

        _kubernetes.Dispose();
        await Sandbox.DisposeAsync();
    }
}
