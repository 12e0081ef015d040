using Microsoft.Extensions.Logging;

namespace LbOperator.Sandbox.Controllers;

/// <summary>The node-related controllers' log messages.</summary>
internal static partial class ControllerLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node} is back: restarting {Count} pods bound to it")]
    public static partial void NodeRebooted(this ILogger logger, string node, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node} sent no heartbeat for {Grace}: Ready=Unknown, tainted unreachable")]
    public static partial void NodeUnreachable(this ILogger logger, string node, TimeSpan grace);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node} is Ready again: unreachable taints removed")]
    public static partial void NodeReachable(this ILogger logger, string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "Evicting pod {Namespace}/{Pod} from node {Node}: its toleration of the node's NoExecute taints ran out")]
    public static partial void EvictingPod(this ILogger logger, string @namespace, string pod, string node);
}
