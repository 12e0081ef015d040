using System.Diagnostics;

namespace LbOperator.Benchmarks.Scale;

/// <summary>
/// A process the benchmark started, its standard output and error going to a log file. Started through
/// <c>sh -c 'exec …'</c> so the redirection costs the benchmark nothing and the process id is the program's own.
/// Disposing kills it if it still runs.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;

    private ChildProcess(string name, Process process, string logPath)
    {
        Name = name;
        _process = process;
        LogPath = logPath;
    }

    public string Name { get; }

    public string LogPath { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>User plus system CPU time the process has used so far.</summary>
    public double CpuSeconds
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime.TotalSeconds;
        }
    }

    public static ChildProcess Start(string name, string program, IEnumerable<string> arguments, string logPath)
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var argument in (IEnumerable<string>)["-c", "log=\"$1\"; shift; exec \"$@\" >\"$log\" 2>&1", "sh", logPath, program, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {name}");
        return new ChildProcess(name, process, logPath);
    }

    /// <summary>Asks the process to stop with SIGTERM and waits for it; kills it when it has not exited in time.</summary>
    /// <returns>True when it exited by itself.</returns>
    public async Task<bool> StopAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        if (_process.HasExited)
        {
            return true;
        }

        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
        {
            if (kill is not null)
            {
                await kill.WaitForExitAsync(cancellationToken);
            }
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Kill();
            return false;
        }
    }

    /// <summary>The last lines of the log, to explain a failure.</summary>
    public string Tail(int lines = 20)
    {
        try
        {
            return string.Join(Environment.NewLine, File.ReadLines(LogPath).TakeLast(lines));
        }
        catch (IOException)
        {
            return "";
        }
    }

    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
