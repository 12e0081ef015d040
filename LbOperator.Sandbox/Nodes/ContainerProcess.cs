using System.Diagnostics;

namespace LbOperator.Sandbox.Nodes;

/// <summary>
/// A long-running container command inside a pod's network namespace. Its output goes to a log file; it is
/// killed (with its children) when the pod stops.
/// </summary>
public sealed class ContainerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Task _pumps;
    private readonly TaskCompletionSource<string> _readyLine = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string? _readyText;
    private readonly string _description;

    private readonly Func<Task>? _stop;

    private ContainerProcess(Process process, StreamWriter log, string? readyText, string description, Func<Task>? stop)
    {
        _process = process;
        _log = log;
        _readyText = readyText;
        _description = description;
        _stop = stop;
        _pumps = Task.WhenAll(PumpAsync(process.StandardOutput), PumpAsync(process.StandardError));
        Exited = ObserveExitAsync();
    }

    /// <summary>Completes with the exit code when the process ends by itself or is killed.</summary>
    public Task<int> Exited { get; }

    public string LogPath { get; private init; } = "";

    /// <summary>
    /// Starts <paramref name="command"/> inside <paramref name="target"/> with the given environment added.
    /// <paramref name="readyText"/>, when given, is the output text <see cref="WaitUntilReadyAsync"/> waits for.
    /// </summary>
    public static ContainerProcess Start(
        NetworkNamespace target, IReadOnlyList<string> command, IReadOnlyDictionary<string, string> environment, string logPath, string? readyText = null) =>
        StartCommandLine(target.ExecCommand(command), CommandRunner.Describe(command), environment, logPath, readyText, stop: null);

    /// <summary>
    /// Starts a complete command line (such as <c>podman run ... --network ns:...</c>, which joins the namespace
    /// itself). <paramref name="stop"/>, when given, runs first when the container is stopped: for a container
    /// engine's client, killing the client alone would leave the container running.
    /// </summary>
    public static ContainerProcess StartCommandLine(
        IReadOnlyList<string> full, string description, IReadOnlyDictionary<string, string> environment, string logPath, string? readyText, Func<Task>? stop)
    {
        var info = CommandRunner.CreateStartInfo(full, redirectInput: false, environment);
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            log.Dispose();
            process.Dispose();
            throw new CommandFailedException($"cannot run '{CommandRunner.Describe(full)}': {e.Message}");
        }
        return new ContainerProcess(process, log, readyText, description, stop) { LogPath = logPath };
    }

    /// <summary>Waits for the ready text in the output; fails when the process exits first or the time runs out.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var finished = await Task.WhenAny(_readyLine.Task, Exited, Task.Delay(timeout, cancellationToken));
        if (finished == _readyLine.Task)
        {
            return;
        }
        cancellationToken.ThrowIfCancellationRequested();
        var tail = File.Exists(LogPath) ? string.Join(" | ", (await ReadLogAsync(cancellationToken)).TakeLast(5)) : "";
        throw new CommandFailedException(finished == Exited
            ? $"'{_description}' exited with code {await Exited} before it was ready: {tail}"
            : $"'{_description}' was not ready within {timeout.TotalSeconds:0.#} s: {tail}");
    }

    private async Task<IReadOnlyList<string>> ReadLogAsync(CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return (await reader.ReadToEndAsync(cancellationToken)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private async Task PumpAsync(StreamReader output)
    {
        while (await output.ReadLineAsync() is { } line)
        {
            lock (_log)
            {
                _log.WriteLine(line);
            }
            if (_readyText is not null && line.Contains(_readyText, StringComparison.Ordinal))
            {
                _readyLine.TrySetResult(line);
            }
        }
    }

    private async Task<int> ObserveExitAsync()
    {
        await _process.WaitForExitAsync();
        await _pumps;
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop is not null)
        {
            await _stop();
        }
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
            await Exited.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
        catch (TimeoutException)
        {
            // The namespace deletion kills whatever is left.
        }
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }
}
