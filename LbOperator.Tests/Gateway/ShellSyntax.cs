using LbOperator.Tests.Gateway.DataPath;

namespace LbOperator.Tests.Gateway;

/// <summary>Parses a script with <c>sh -n</c> (no execution); returns the shell's complaints, empty when it parses.</summary>
internal static class ShellSyntax
{
    public static string Check(string script)
    {
        var result = CommandRunner.Run(["sh", "-n", "-c", script]);
        return result.ExitCode == 0 ? "" : $"exit {result.ExitCode}: {result.StandardError}";
    }
}
