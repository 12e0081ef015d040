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

    /// <summary>The cluster's nodes, each with its own kubelet; by default the one node <c>sandbox-node</c>.</summary>
    public IReadOnlyList<SandboxNode> Nodes { get; init; } = SandboxNode.Cluster(1);

    /// <summary>
    /// How long a node may go without a heartbeat before the node lifecycle controller marks it Ready=Unknown and
    /// taints it unreachable (kube-controller-manager's --node-monitor-grace-period, 40 s).
    /// </summary>
    public TimeSpan NodeMonitorGracePeriod { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>
    /// The tolerationSeconds of the not-ready/unreachable NoExecute tolerations the DefaultTolerationSeconds
    /// admission adds to pods that have none (kube-apiserver's --default-not-ready-toleration-seconds and
    /// --default-unreachable-toleration-seconds, 300). A sandbox override for short failover experiments.
    /// </summary>
    public int DefaultTolerationSeconds { get; init; } = 300;

    /// <summary>Which nodes are crashed; shared with whatever simulates the nodes' machines.</summary>
    public NodeOutages NodeOutages { get; init; } = new();

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
