using LbOperator.Sandbox.Api;
using Microsoft.Extensions.Logging;

namespace LbOperator.Sandbox.Controllers;

/// <summary>The controllers a cluster's control plane and kubelet would run, scaled down to one process.</summary>
public static class BuiltInControllers
{
    public static IReadOnlyList<Controller> Create(ResourceService api, SandboxOptions options, ILoggerFactory loggers) =>
    [
    ];
}
