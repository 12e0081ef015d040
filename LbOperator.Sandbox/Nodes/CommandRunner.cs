using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace LbOperator.Sandbox.Nodes;

/// <summary>The outcome of a finished command.</summary>
public sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>A command that could not run, ran too long or exited non-zero: the message names the command line.</summary>
public sealed class CommandFailedException(string message, CommandResult? result = null) : Exception(message)
{
    public CommandResult? Result { get; } = result;
}

/// <summary>
/// Runs a program to completion with a timeout and captures its output. Arguments are passed as a list (never
/// through a shell), so values with spaces or shell characters reach the program unchanged.
/// </summary>
public static class CommandRunner
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Runs the program and throws <see cref="CommandFailedException"/> unless it exits 0.</summary>
    public static async Task<CommandResult> RunCheckedAsync(
        IReadOnlyList<string> command, CancellationToken cancellationToken, string? standardInput = null, TimeSpan? timeout = null)
    {
        var result = await RunAsync(command, cancellationToken, standardInput, timeout);
        if (result.ExitCode != 0)
        {
            var detail = result.StandardError.Trim();
            if (detail.Length == 0)
            {
                detail = result.StandardOutput.Trim();
            }
            throw new CommandFailedException(
                $"'{Describe(command)}' exited with code {result.ExitCode}: {(detail.Length == 0 ? "(no output)" : detail)}", result);
        }
        return result;
    }

    /// <summary>Runs the program and returns its exit code and output, whatever the exit code.</summary>
    public static async Task<CommandResult> RunAsync(
        IReadOnlyList<string> command, CancellationToken cancellationToken, string? standardInput = null, TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(command.Count);
        var limit = timeout ?? DefaultTimeout;
        using var process = new Process { StartInfo = CreateStartInfo(command, redirectInput: true, environment) };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new CommandFailedException($"cannot run '{Describe(command)}': {e.Message}");
        }

        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        try
        {
            if (standardInput is not null)
            {
                await process.StandardInput.WriteAsync(standardInput.AsMemory(), deadline.Token);
            }
            process.StandardInput.Close();
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            throw new CommandFailedException($"'{Describe(command)}' did not finish within {limit.TotalSeconds:0.#} s and was killed");
        }
        return new CommandResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Start information for <paramref name="command"/> with output captured and <paramref name="environment"/> added.</summary>
    public static ProcessStartInfo CreateStartInfo(IReadOnlyList<string> command, bool redirectInput, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in command.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }
        return info;
    }

    /// <summary>The command line as a person would type it, for messages; long arguments are shortened.</summary>
    public static string Describe(IReadOnlyList<string> command) =>
        string.Join(' ', command.Select(argument =>
        {
            var shown = argument.Length > 80 ? argument[..77] + "..." : argument;
            shown = shown.ReplaceLineEndings(" ");
            return shown.Length == 0 || shown.Any(char.IsWhiteSpace) ? $"'{shown}'" : shown;
        }));
}
