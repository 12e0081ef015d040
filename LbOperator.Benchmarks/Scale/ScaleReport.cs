using System.Globalization;
using System.Text.Json;

namespace LbOperator.Benchmarks.Scale;

/// <summary>Prints <see cref="ScaleResults"/> as one table (with the operator's requests per verb and resource below it), or writes them as JSON.</summary>
public static class ScaleReport
{
    private const int LabelWidth = 58;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static void Write(TextWriter output, ScaleResults results)
    {
        var rows = new List<(string Label, string Value)>();
        if (results.Floor is { } floor)
        {
            rows.Add(("floor: seconds (bare client: Service, Deployment, status)", F(floor.Seconds)));
            rows.Add(("floor: Services/s", F(floor.ServicesPerSecond, 1)));
        }

        if (results.Operator is { } op)
        {
            rows.Add(("operator: seconds to every ingress (watched)", F(op.Seconds)));
            rows.Add(("operator: Services/s", F(op.ServicesPerSecond, 1)));
            if (results.Ratio is { } ratio)
            {
                rows.Add(("ratio operator/floor", F(ratio)));
            }

            rows.Add(("operator: seconds until idle (queues empty, no worker)", Idle(op.Settle)));
            rows.Add(("operator: writes per Service", $"{F(op.WritesPerService)} ({op.Writes})"));
            rows.Add(("operator: reads per Service (get, list, watch)", $"{F(op.ReadsPerService)} ({op.Reads})"));
            rows.Add(("operator: answers >= 400", op.Failed.ToString(CultureInfo.InvariantCulture)));
        }

        if (results.Restart is { } restart)
        {
            rows.Add(("restart: seconds to ready", F(restart.ReadySeconds)));
            rows.Add(("restart: seconds to ready+idle", Idle(restart.Idle)));
            rows.Add(("restart: writes", restart.Writes.ToString(CultureInfo.InvariantCulture)));
            rows.Add(("restart: GETs", restart.Gets.ToString(CultureInfo.InvariantCulture)));
            rows.Add(("restart: lists / watches", $"{restart.Lists} / {restart.Watches}"));
            rows.Add(("restart: addresses changed", $"{restart.AddressesChanged} of {restart.AddressesBefore}"));
            rows.Add(("restart: SIGTERM to exit, seconds (requests meanwhile)", $"{F(restart.StopSeconds)}{(restart.StoppedByItself ? "" : " killed")} ({restart.StopRequests})"));
        }

        if (results.Floor is { } floorCpu)
        {
            rows.Add(("CPU s in the floor: sandbox / client", Cpu(floorCpu.Cpu)));
        }

        if (results.Operator is { } opCpu)
        {
            rows.Add(("CPU s until idle: sandbox / operator / client", Cpu(opCpu.Cpu)));
        }

        if (results.Restart is { } restartCpu)
        {
            rows.Add(("CPU s in the restart: sandbox / operator / client", Cpu(restartCpu.Cpu)));
        }

        if (results.Operator is { } settled)
        {
            rows.Add(("memory after settling: RSS MB / GC heap MB", Memory(settled.Memory)));
        }

        if (results.Restart is { } restarted)
        {
            rows.Add(("memory after restart: RSS MB / GC heap MB", Memory(restarted.Memory)));
        }

        output.WriteLine($"LbOperator scale: {results.Services} Services over {results.Namespaces} namespaces, {results.Workers} client workers");
        var width = LabelWidth + 2 + Math.Max(10, rows.Max(r => r.Value.Length));
        output.WriteLine(new string('-', width));
        foreach (var (label, value) in rows)
        {
            output.WriteLine($"{label.PadRight(LabelWidth)}  {value}");
        }

        output.WriteLine(new string('-', width));
        if (results.Operator is { } counted)
        {
            output.WriteLine($"operator requests ({string.Join(", ", counted.Agents)}) from the first create until idle; benchmark client: {counted.BenchRequests}");
            Breakdown(output, counted.Breakdown, results.Services);
        }

        if (results.Restart is { } again)
        {
            output.WriteLine("operator requests from the restart until idle");
            Breakdown(output, again.Breakdown, results.Services);
        }

        output.WriteLine("RSS: VmRSS of /proc/<pid>/status; GC heap: dotnet_total_memory_bytes of the operator's /metrics; CPU: user+system time of each process.");
        output.WriteLine($"{Environment.ProcessorCount} cores; load average when the run began: {results.LoadAverage} (other work on the machine slows every figure).");
    }

    public static async Task WriteJsonAsync(string path, ScaleResults results, CancellationToken cancellationToken)
    {
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, results, Json, cancellationToken);
    }

    private static void Breakdown(TextWriter output, IReadOnlyList<VerbResourceCount> counts, int services)
    {
        if (counts.Count == 0)
        {
            output.WriteLine("  (none)");
            return;
        }

        output.WriteLine($"  {"verb",-8} {"resource",-40} {"count",9} {"per Service",12} {">= 400",8}");
        foreach (var c in counts)
        {
            output.WriteLine($"  {c.Verb,-8} {c.Resource,-40} {c.Count,9} {F((double)c.Count / services),12} {c.Failed,8}");
        }
    }

    private static string Idle(IdleFigures idle) => idle.Reached ? F(idle.Seconds) : $"> {F(idle.Seconds)} (never idle)";

    private static string Cpu(CpuFigures cpu) =>
        cpu.Operator is { } op ? $"{F(cpu.Sandbox, 1)} / {F(op, 1)} / {F(cpu.Client, 1)}" : $"{F(cpu.Sandbox, 1)} / {F(cpu.Client, 1)}";

    private static string Memory(MemoryFigures memory) => $"{F(memory.RssMegabytes, 1)} / {F(memory.GcHeapMegabytes, 1)}";

    private static string F(double value, int decimals = 2) => value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
