using System.Net;
using k8s;
using k8s.Models;
using LbOperator.Composition;
using LbOperator.Controllers;
using LbOperator.Entities;
using LbOperator.Framework.Builder;
using LbOperator.Framework.Client;
using LbOperator.Framework.Hosting;
using LbOperator.Framework.Transpilation;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LbOperator.Sandbox.Host;

/// <summary>
/// LbOperator running inside the sandbox's process against the sandbox's API server, started the same way as
/// <c>LbOperator run</c> (through <see cref="LbOperatorHost"/>). Add it to <see cref="SandboxOptions.AdditionalServices"/>.
/// It installs the Subnet and IpAllocation CRDs (and Multus' NetworkAttachmentDefinition CRD when the sandbox has none) first.
/// <see cref="ForSandbox"/> is what the sandbox host runs: no leader election, health endpoints on a free
/// loopback port, quick retries.
/// </summary>
public sealed class InProcessOperator(OperatorHostOptions options, LbOperatorSettings? settings = null) : ISandboxService
{
    public async Task RunAsync(RunningSandbox sandbox, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        await InstallCrdsAsync(sandbox, cancellationToken);
        await using var app = LbOperatorHost.Build(sandbox.ClientConfiguration, options, settings);
        await app.RunAsync(cancellationToken);
    }

    /// <summary>The in-process operator of the sandbox host.</summary>
    public static InProcessOperator ForSandbox(LogLevel logLevel = LogLevel.Information, LbOperatorSettings? settings = null) =>
        new(SandboxHostOptions(logLevel), settings);

    /// <summary>Host options for an operator beside the sandbox: no leader election, health on a free loopback port, quick retries.</summary>
    public static OperatorHostOptions SandboxHostOptions(LogLevel logLevel, Action<OperatorSettingsBuilder>? configure = null) => new()
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

    /// <summary>An operator host against <paramref name="configuration"/> with <see cref="SandboxHostOptions"/> (tests start and stop it at will).</summary>
    public static WebApplication Build(
        KubernetesClientConfiguration configuration, LbOperatorSettings? settings, LogLevel logLevel, Action<OperatorSettingsBuilder>? configure = null) =>
        LbOperatorHost.Build(configuration, SandboxHostOptions(logLevel, configure), settings);

    /// <summary>Creates the CRDs the operator needs (ones that exist are left as they are) and waits until they are served.</summary>
    public static async Task InstallCrdsAsync(RunningSandbox sandbox, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        using var client = sandbox.CreateClient();
        foreach (var crd in CrdTranspiler.Transpile([typeof(V1Subnet), typeof(V1IpAllocation), typeof(V1NetworkAttachmentDefinition)]))
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
