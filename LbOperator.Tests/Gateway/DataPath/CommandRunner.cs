using System.Diagnostics;
using LbOperator.Sandbox.Nodes;
using ProcessRunner = LbOperator.Sandbox.Nodes.CommandRunner;

namespace LbOperator.Tests.Gateway.DataPath;

/// <summary>
/// The data-path tests' synchronous view of the node simulation's process runner (argument lists, no shell in
/// between, a timeout): the tests drive namespaces step by step, so blocking calls keep them short to read.
/// </summary>
internal static class CommandRunner
{
    public static CommandResult Run(IReadOnlyList<string> command, TimeSpan? timeout = null) =>
        ProcessRunner.RunAsync(command, CancellationToken.None, timeout: timeout ?? TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();

    public static ProcessStartInfo StartInfo(IReadOnlyList<string> command) => ProcessRunner.CreateStartInfo(command, redirectInput: false);

    /// <summary>Fails with the command's output unless it exited 0.</summary>
    public static CommandResult EnsureSuccess(this CommandResult result, string what) =>
        result.ExitCode == 0
            ? result
            : throw new InvalidOperationException(
                $"{what} failed with exit code {result.ExitCode}: {result.StandardError.Trim()} {result.StandardOutput.Trim()}");

    /// <summary>True when <paramref name="program"/> is on the PATH.</summary>
    public static bool IsInstalled(string program) => NodeRequirements.FindOnPath(program) is not null;
}
