using System.Diagnostics;

namespace LbOperator.Benchmarks.Scale;

/// <summary>CPU seconds used during a timed window, per process: where the wall-clock time of a phase went.</summary>
/// <param name="Sandbox">The sandbox API server (with its built-in controllers).</param>
/// <param name="Operator">The operator, or null in the floor.</param>
/// <param name="Client">This benchmark process (its client requests, the watch, the floor's gateway building).</param>
public sealed record CpuFigures(double Sandbox, double? Operator, double Client);

/// <summary>Notes the CPU time of the processes at the start of a window and gives the differences at its end.</summary>
public sealed class CpuMeter
{
    private readonly Func<double> _sandbox;
    private readonly Func<double>? _operator;
    private readonly double _sandboxStart;
    private readonly double? _operatorStart;
    private readonly double _clientStart;

    public CpuMeter(Func<double> sandbox, Func<double>? @operator)
    {
        _sandbox = sandbox;
        _operator = @operator;
        _sandboxStart = sandbox();
        _operatorStart = @operator?.Invoke();
        _clientStart = ClientSeconds();
    }

    public CpuFigures Stop() => new(_sandbox() - _sandboxStart, _operator?.Invoke() - _operatorStart, ClientSeconds() - _clientStart);

    private static double ClientSeconds()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalSeconds;
    }
}
