using System.Reflection;

namespace LbOperator.Sandbox.Nodes;

/// <summary>
/// Command lines that start the sandbox's executable again, to run one of its hidden helper commands (the backend
/// responder, <c>hello-server</c>) inside a pod's network namespace.
/// </summary>
public static class SelfCommand
{
    /// <summary>This process's own program: its launcher (an apphost), or <c>dotnet</c> with its entry assembly.</summary>
    public static IReadOnlyList<string> CurrentProcess()
    {
        var processPath = Environment.ProcessPath;
        var entry = Assembly.GetEntryAssembly()?.Location;
        // Started through its own launcher (an apphost named like the entry assembly): run that again.
        if (processPath is not null && entry is not null && Path.GetFileNameWithoutExtension(processPath) == Path.GetFileNameWithoutExtension(entry))
        {
            return [processPath];
        }
        return entry is null ? [DotnetHost()] : [DotnetHost(), entry];
    }

    /// <summary><c>dotnet</c> running <paramref name="assemblyPath"/> (how a test host names the sandbox's executable).</summary>
    public static IReadOnlyList<string> ForAssembly(string assemblyPath) => [DotnetHost(), assemblyPath];

    private static string DotnetHost()
    {
        var processPath = Environment.ProcessPath;
        return processPath is not null && Path.GetFileNameWithoutExtension(processPath) == "dotnet"
            ? processPath
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath ? hostPath : "dotnet";
    }
}
