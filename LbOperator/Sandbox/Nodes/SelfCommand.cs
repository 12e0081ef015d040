namespace LbOperator.Sandbox.Nodes;

/// <summary>The command line that starts this LbOperator build again, e.g. to run a hidden helper command in a namespace.</summary>
public static class SelfCommand
{
    public static IReadOnlyList<string> For(params string[] arguments)
    {
        var assembly = typeof(SelfCommand).Assembly.Location;
        var processPath = Environment.ProcessPath;
        // Started through its own launcher (an apphost named like the assembly): run that again.
        if (processPath is not null && Path.GetFileNameWithoutExtension(processPath) == Path.GetFileNameWithoutExtension(assembly))
        {
            return [processPath, .. arguments];
        }
        var host = processPath is not null && Path.GetFileNameWithoutExtension(processPath) == "dotnet"
            ? processPath
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath ? hostPath : "dotnet";
        return [host, assembly, .. arguments];
    }
}
