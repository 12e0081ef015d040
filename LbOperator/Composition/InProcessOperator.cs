using System.Net;
using k8s;
using k8s.Models;
using LbOperator.Entities;
using LbOperator.Framework.Builder;
using LbOperator.Framework.Client;
using LbOperator.Framework.Hosting;
using LbOperator.Framework.Transpilation;
using LbOperator.Operations;
using LbOperator.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace LbOperator.Composition;

/// <summary>
/// The operator running inside the sandbox's process (what <c>LbOperator sandbox</c> does by default): installs the
/// Subnet CRD (and Multus' NetworkAttachmentDefinition CRD when the sandbox has none), then runs the same
/// composition as <c>run</c> against the sandbox's own client configuration, without leader election, with its health
/// endpoints on a free loopback port.
/// </summary>
public sealed class InProcessOperator(LbOperatorSettings? settings = null, LogLevel logLevel = LogLevel.Warning, Action<OperatorSettingsBuilder>? configure = null)
    : ISandboxService
{
    public async Task RunAsync(RunningSandbox sandbox, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        await InstallCrdsAsync(sandbox, cancellationToken);
        await using var app = Build(sandbox.ClientConfiguration, settings, logLevel, configure);
        await app.StartAsync(cancellationToken);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The sandbox is stopping.
        }

        await app.StopAsync(CancellationToken.None);
    }

    /// <summary>The operator host for an in-process run: no leader election, health on a free loopback port, quick retries.</summary>
    public static WebApplication Build(
        k8s.KubernetesClientConfiguration configuration, LbOperatorSettings? settings, LogLevel logLevel, Action<OperatorSettingsBuilder>? configure = null)
    {
        var options = new OperatorHostOptions
        {
            // A free loopback port: the host always runs Kestrel, and its default port may be taken.
            HealthPort = 0,
            HealthBindAddress = "127.0.0.1",
            MinimumLogLevel = logLevel,
            ShutdownTimeout = TimeSpan.FromSeconds(2),
            ConfigureSettings = builder =>
            {
                builder.WithLeaderElection(LeaderElectionType.None).WithErrorBackoff(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30));
                configure?.Invoke(builder);
            },
        };
        return LbOperatorHost.Build(configuration, options, settings);
    }

    /// <summary>Creates the CRDs the operator needs (ones that exist are left as they are) and waits until they are served.</summary>
    public static async Task InstallCrdsAsync(RunningSandbox sandbox, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        using var client = sandbox.CreateClient();
        foreach (var crd in CrdTranspiler.Transpile([typeof(V1Subnet), typeof(V1NetworkAttachmentDefinition)]))
        {
            try
            {
                await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd, cancellationToken: cancellationToken);
            }
            catch (k8s.Autorest.HttpOperationException e) when (e.Is(HttpStatusCode.Conflict))
            {
                // Installed already (by the sandbox itself, or an earlier run).
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            while (!IsEstablished(await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(crd.Metadata.Name, cancellationToken: timeout.Token)))
            {
                await Task.Delay(20, timeout.Token);
            }
        }
    }

    private static bool IsEstablished(V1CustomResourceDefinition crd) =>
        crd.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true;
}
