using Microsoft.Extensions.Logging;

namespace LbOperator.Sandbox.Nodes;

/// <summary>The node simulation's log messages.</summary>
internal static partial class NodeLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Removed {Count} network namespaces left by an earlier run: {Namespaces}")]
    public static partial void RemovedLeftovers(this ILogger logger, int count, IReadOnlyList<string> namespaces);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removed {Count} containers left by an earlier run: {Containers}")]
    public static partial void RemovedLeftoverContainers(this ILogger logger, int count, IReadOnlyList<string> containers);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node simulation up: namespaces {Nodes}, {Router}, {Client}")]
    public static partial void TopologyUp(this ILogger logger, IReadOnlyList<string> nodes, string router, string client);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pod {Pod} started in network namespace {Namespace} with addresses {Addresses}")]
    public static partial void PodStarted(this ILogger logger, string pod, string @namespace, IReadOnlyList<System.Net.IPAddress> addresses);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pod {Pod} stopped, network namespace {Namespace} removed")]
    public static partial void PodStopped(this ILogger logger, string pod, string @namespace);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pod {Pod} container {Container} exited with code {ExitCode}")]
    public static partial void ContainerExited(this ILogger logger, string pod, string container, int exitCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node} powered off: its pods' processes killed, its uplink eth0 down")]
    public static partial void NodePoweredOff(this ILogger logger, string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node} powered on: its uplink eth0 up")]
    public static partial void NodePoweredOn(this ILogger logger, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node control request failed: {Reason}")]
    public static partial void NodeControlFailed(this ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Service proxy sync failed: {Reason}")]
    public static partial void ProxySyncFailed(this ILogger logger, string reason);
}
