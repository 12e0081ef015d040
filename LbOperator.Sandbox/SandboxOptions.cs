using System.Net;
using LbOperator.Sandbox.Api;
using LbOperator.Sandbox.Controllers;

namespace LbOperator.Sandbox;

/// <summary>How to run a sandbox API server. Every default mirrors a small kind-like cluster.</summary>
public sealed record SandboxOptions
{
    /// <summary>Address to listen on; only loopback addresses make sense (there is no authentication).</summary>
    public IPAddress Host { get; init; } = IPAddress.Loopback;

    /// <summary>TCP port; 0 picks a free one (see <see cref="RunningSandbox.BaseAddress"/>).</summary>
    public int Port { get; init; }

    /// <summary>Service ClusterIP ranges, primary family first (kube-apiserver's --service-cluster-ip-range).</summary>
    public IReadOnlyList<IPNetwork> ServiceCidrs { get; init; } = [IPNetwork.Parse("10.96.0.0/12"), IPNetwork.Parse("fd00:10:96::/112")];

    /// <summary>NodePort range (kube-apiserver's --service-node-port-range).</summary>
    public int NodePortMin { get; init; } = 30000;

    public int NodePortMax { get; init; } = 32767;

    /// <summary>Pod addresses the simulated kubelet hands out.</summary>
    public IPNetwork PodCidr { get; init; } = IPNetwork.Parse("10.16.0.0/16");

    /// <summary>The one node pods are scheduled to.</summary>
    public string NodeName { get; init; } = "sandbox-node";

    /// <summary>The node's address (pods' status.hostIP).</summary>
    public IPAddress NodeAddress { get; init; } = IPAddress.Parse("172.18.0.2");

    /// <summary>Starts and stops pods; null uses <see cref="SimulatedPodRuntime"/> (Running and Ready at once).</summary>
    public IPodRuntime? PodRuntime { get; init; }

    /// <summary>How many changes the watch history keeps; older resourceVersions answer 410 Expired.</summary>
    public int WatchHistoryLimit { get; init; } = 10_000;

    /// <summary>How often watches with allowWatchBookmarks=true receive a BOOKMARK.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Serves <c>/sandbox/faults</c> (test-only fault injection over HTTP).</summary>
    public bool EnableFaultEndpoint { get; init; }

    /// <summary>Seed for generated names and fault dice; null is random.</summary>
    public int? RandomSeed { get; init; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Discovery, OpenAPI, tables, strategic merge patch, field validation: pieces plugged into the pipeline.</summary>
    public SandboxExtensions Extensions { get; init; } = KubectlExtensions.Create();

    /// <summary>Services run beside the server once it is ready (e.g. an operator), stopped before it shuts down.</summary>
    public IReadOnlyList<ISandboxService> AdditionalServices { get; init; } = [];
}

/// <summary>Something that runs inside the sandbox process for as long as the server does.</summary>
public interface ISandboxService
{
    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled (the sandbox stopping).</summary>
    Task RunAsync(RunningSandbox sandbox, CancellationToken cancellationToken);
}
