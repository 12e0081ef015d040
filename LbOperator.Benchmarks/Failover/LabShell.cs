using System.Diagnostics;

namespace LbOperator.Benchmarks.Failover;

/// <summary>The output of a finished command.</summary>
public sealed record LabCommandResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>Runs the lab's commands (ip, sh, kill) and fails with their output when they fail.</summary>
internal static class LabShell
{
    public static LabCommandResult Run(IReadOnlyList<string> command, TimeSpan? timeout = null)
    {
        using var process = Process.Start(StartInfo(command)) ?? throw new InvalidOperationException($"cannot start {command[0]}");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{string.Join(' ', command)} did not finish");
        }
        return new LabCommandResult(process.ExitCode, output.Result, error.Result);
    }

    public static LabCommandResult Checked(IReadOnlyList<string> command, string what)
    {
        var result = Run(command);
        return result.ExitCode == 0
            ? result
            : throw new InvalidOperationException($"{what} failed (exit {result.ExitCode}): {result.StandardError.Trim()} {result.StandardOutput.Trim()}");
    }

    public static ProcessStartInfo StartInfo(IReadOnlyList<string> command)
    {
        var info = new ProcessStartInfo(command[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }
        return info;
    }
}
