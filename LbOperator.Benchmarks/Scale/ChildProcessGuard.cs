using System.Runtime.InteropServices;

namespace LbOperator.Benchmarks.Scale;

/// <summary>
/// Every process the benchmark started, killed when the benchmark ends however it ends: normally, by an exception,
/// by Ctrl-C or SIGTERM (which cancel <see cref="Stopping"/> so the run unwinds), or at process exit.
/// </summary>
public sealed class ChildProcessGuard : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<ChildProcess> _children = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<PosixSignalRegistration> _signals = [];
    private int _signalCount;

    public ChildProcessGuard()
    {
        foreach (var signal in (PosixSignal[])[PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP])
        {
            _signals.Add(PosixSignalRegistration.Create(signal, context =>
            {
                // The first signal unwinds the run (which stops the children); a second one ends the process at once.
                if (Interlocked.Increment(ref _signalCount) == 1)
                {
                    context.Cancel = true;
                    _stopping.Cancel();
                }
                else
                {
                    KillAll();
                }
            }));
        }

        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>Cancelled by the first SIGINT, SIGTERM or SIGHUP.</summary>
    public CancellationToken Stopping => _stopping.Token;

    public ChildProcess Start(string name, string program, IEnumerable<string> arguments, string logPath)
    {
        lock (_gate)
        {
            var child = ChildProcess.Start(name, program, arguments, logPath);
            _children.Add(child);
            return child;
        }
    }

    public void KillAll()
    {
        List<ChildProcess> children;
        lock (_gate)
        {
            children = [.. _children];
        }

        foreach (var child in children)
        {
            child.Kill();
        }
    }

    public void Dispose()
    {
        KillAll();
        lock (_gate)
        {
            foreach (var child in _children)
            {
                child.Dispose();
            }

            _children.Clear();
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        foreach (var signal in _signals)
        {
            signal.Dispose();
        }

        _stopping.Dispose();
    }

    private void OnProcessExit(object? sender, EventArgs e) => KillAll();
}
