namespace LbOperator.Benchmarks.Scale;

/// <summary>The floor: a bare client doing the minimal work per Service itself.</summary>
/// <param name="Seconds">From the first create until the last Service's status carried its address.</param>
/// <param name="Requests">The client's requests to the sandbox.</param>
/// <param name="Cpu">CPU seconds used from the first create until the last status write.</param>
public sealed record FloorFigures(double Seconds, double ServicesPerSecond, long Requests, CpuFigures Cpu);

/// <summary>The operator serving Services created by the benchmark client.</summary>
/// <param name="StartupSeconds">From the operator's start until /readyz answered 200 (an empty cluster but for the set-up objects).</param>
/// <param name="Seconds">From the first create until the watch showed the last Service with an ingress address.</param>
/// <param name="Settle">From the first create until every queue was empty and no worker busy.</param>
/// <param name="Agents">The user agents counted as the operator's.</param>
/// <param name="Breakdown">The operator's requests per verb and resource, from the first create until it settled.</param>
/// <param name="Memory">After it settled.</param>
/// <param name="Cpu">CPU seconds used from the first create until the operator was idle.</param>
public sealed record OperatorFigures(
    double StartupSeconds,
    double Seconds,
    double ServicesPerSecond,
    IdleFigures Settle,
    IReadOnlyList<string> Agents,
    long Writes,
    long Reads,
    double WritesPerService,
    double ReadsPerService,
    long Failed,
    long BenchRequests,
    IReadOnlyList<VerbResourceCount> Breakdown,
    MemoryFigures Memory,
    CpuFigures Cpu);

/// <summary>The operator stopped (SIGTERM) and started again over the Services it had served.</summary>
/// <param name="StopSeconds">From SIGTERM to exit.</param>
/// <param name="StopRequests">The operator's requests from when it settled until it exited.</param>
/// <param name="ReadySeconds">From the new start until /readyz answered 200.</param>
/// <param name="Idle">From the new start until ready, every queue empty and no worker busy.</param>
/// <param name="AddressesChanged">Services whose ingress address after the restart differs from before (or is gone).</param>
/// <param name="Memory">After it was idle again.</param>
/// <param name="Cpu">CPU seconds used from the new start until it was idle.</param>
public sealed record RestartFigures(
    double StopSeconds,
    bool StoppedByItself,
    long StopRequests,
    double ReadySeconds,
    IdleFigures Idle,
    long Writes,
    long Gets,
    long Lists,
    long Watches,
    long Failed,
    int AddressesBefore,
    int AddressesChanged,
    IReadOnlyList<VerbResourceCount> Breakdown,
    MemoryFigures Memory,
    CpuFigures Cpu);

/// <summary>Everything one run measured; phases not run are null.</summary>
/// <param name="LoadAverage">The 1, 5 and 15 minute load averages of /proc/loadavg when the run began.</param>
public sealed record ScaleResults(
    int Services, int Workers, int Namespaces, string LoadAverage, FloorFigures? Floor, OperatorFigures? Operator, RestartFigures? Restart)
{
    /// <summary>Operator seconds over floor seconds.</summary>
    public double? Ratio => Floor is { } floor && Operator is { } op && floor.Seconds > 0 ? op.Seconds / floor.Seconds : null;
}
