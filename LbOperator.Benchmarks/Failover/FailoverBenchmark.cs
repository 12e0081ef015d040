using System.Globalization;
using System.Text.Json;
using LbOperator.LoadBalancing;

namespace LbOperator.Benchmarks.Failover;

/// <summary>
/// <c>failover</c>: the dark time of a LoadBalancer address around the events a gateway meets, measured on a
/// <see cref="FailoverLab"/> with the gateway's real scripts and keepalived, from a client probing every 10 ms. A highly
/// available gateway (2 replicas) meets a node crash, a pod deletion, a 2 s freeze and a rollout; a single-replica one
/// meets the pod deletion and the crash, replaced at once, as the baseline. Prints p50, p95 and max per event, and the
/// ratio of each highly available figure to the baseline measured in the same run. Needs root, iproute2, python3 and
/// keepalived.
/// </summary>
public static class FailoverBenchmark
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private static readonly ServicePortRule[] Ports = [new(PortProtocol.Tcp, 80), new(PortProtocol.Udp, 53)];
    private static readonly ServicePortRule[] PortsAfterRollout = [.. Ports, new(PortProtocol.Tcp, 8080)];

    public static int Run(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var runs = 20;
        string? json = null;
        string? only = null;
        var sandbox = false;
        var advertisement = TimeSpan.FromMilliseconds(100);
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--runs" when i + 1 < args.Count && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var n) && n > 0:
                    runs = n;
                    i++;
                    break;
                case "--json" when i + 1 < args.Count:
                    json = args[++i];
                    break;
                case "--sandbox":
                    sandbox = true;
                    break;
                case "--only" when i + 1 < args.Count:
                    only = args[++i];
                    break;
                case "--advert-ms" when i + 1 < args.Count && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var ms):
                    advertisement = TimeSpan.FromMilliseconds(ms);
                    i++;
                    break;
                default:
                    Console.Error.WriteLine($"failover: unknown argument {args[i]} (accepted: --runs N, --json FILE, --advert-ms MS, --only EVENT-TEXT, --sandbox)");
                    return 2;
            }
        }

        var results = new List<FailoverResult>();
        void Add(FailoverResult? result)
        {
            if (result is not null)
            {
                results.Add(result);
            }
        }

        var ha = LabGatewayScripts.Render(LabFamilies.IPv4, 2, Ports, advertisement);
        var haNext = LabGatewayScripts.Render(LabFamilies.IPv4, 2, PortsAfterRollout, advertisement);
        var single = LabGatewayScripts.Render(LabFamilies.IPv4, 1, Ports, advertisement);
        Console.WriteLine($"failover: {runs} runs per event, VRRP advertisement every {advertisement.TotalMilliseconds} ms, probes every 10 ms");

        Add(Series(only, "pod deletion", 1, runs, single, e => e.PodDeletion()));
        Add(Series(only, "node crash (replaced at once)", 1, runs, single, e => e.NodeCrash()));
        Add(Series(only, "node crash", 2, runs, ha, e => e.NodeCrash()));
        Add(Series(only, "pod deletion", 2, runs, ha, e => e.PodDeletion()));
        Add(Series(only, "freeze 2 s", 2, runs, ha, e => e.Freeze(TimeSpan.FromSeconds(2))));
        var flip = false;
        Add(Series(only, "rollout (port added)", 2, runs, ha, e =>
        {
            flip = !flip;
            return e.Rollout(flip ? haNext : ha);
        }));

        var sandboxEvents = sandbox ? SandboxEvents.Where(e => only is null || $"sandbox: {e.Name}".Contains(only, StringComparison.Ordinal)).ToList() : [];
        if (sandboxEvents.Count > 0)
        {
            using var cluster = SandboxFailover.Start(Scale.BenchPaths.Find());
            results.AddRange(sandboxEvents.Select(e => cluster.Series(e.Name, e.Replicas, runs, e.Happen)));
        }

        Console.WriteLine();
        Console.WriteLine($"{"event",-56} {"replicas",8} {"runs",5} {"p50 ms",8} {"p95 ms",8} {"max ms",8} {"p95/baseline",13}");
        if (results.Count == 0)
        {
            Console.Error.WriteLine($"failover: no event matches --only {only}");
            return 2;
        }
        var baseline = results[0].P95;
        foreach (var result in results)
        {
            var ratio = result.Replicas == 1 && result == results[0] ? "1.00 (baseline)" : (result.P95 / baseline).ToString("0.00", CultureInfo.InvariantCulture);
            Console.WriteLine($"{result.Event,-56} {result.Replicas,8} {result.Runs,5} {result.P50,8:0} {result.P95,8:0} {result.Max,8:0} {ratio,13}");
        }
        foreach (var result in results.Where(r => r.TwoMacsAfterResumeMax is not null))
        {
            Console.WriteLine($"{result.Event}: two MAC addresses answered ARP for the address after the resume for at most {result.TwoMacsAfterResumeMax:0} ms " +
                $"(p95 {result.TwoMacsAfterResumeP95:0} ms); during the freeze for {result.TwoMacsDuringFreezeP50:0} ms at the median (the frozen pod's kernel still answers)");
        }
        if (json is not null)
        {
            File.WriteAllText(json, JsonSerializer.Serialize(results, Indented));
        }
        return 0;
    }

    /// <summary>The events of <c>--sandbox</c>, in the order they run: the single-replica baselines first.</summary>
    private static readonly (string Name, int Replicas, Func<SandboxFailover, DarkTime> Happen)[] SandboxEvents =
    [
        ("pod deletion, 1 replica", 1, s => s.PodDeletion(highlyAvailable: false)),
        ("node crash, 1 replica (evicted after 2+2 s)", 1, s => s.NodeCrash(highlyAvailable: false)),
        ("node crash", 2, s => s.NodeCrash(highlyAvailable: true)),
        ("pod deletion", 2, s => s.PodDeletion(highlyAvailable: true)),
        ("freeze 2 s", 2, s => s.Freeze()),
        ("rollout (port added or removed)", 2, s => s.Rollout()),
    ];

    private static FailoverResult? Series(string? only, string name, int replicas, int runs, LabGatewayScripts scripts, Func<FailoverEvents, FailoverOutcome> happen)
    {
        if (only is not null && !$"{name} {replicas}".Contains(only, StringComparison.Ordinal))
        {
            return null;
        }

        using var lab = new FailoverLab([80, 8080], [53]);
        var events = new FailoverEvents(lab, scripts, replicas);
        var outcomes = new List<FailoverOutcome>();
        for (var run = 0; run < runs; run++)
        {
            var outcome = happen(events);
            outcomes.Add(outcome);
            Console.WriteLine($"  {name}, {replicas} replica(s), run {run + 1}: dark {outcome.Dark.Longest.TotalMilliseconds:0} ms " +
                $"(TCP {outcome.Dark.Tcp.TotalMilliseconds:0}, UDP {outcome.Dark.Udp.TotalMilliseconds:0})" +
                (outcome.TwoMacsDuringFreeze > TimeSpan.Zero || name.StartsWith("freeze", StringComparison.Ordinal)
                    ? $", two MACs after resume {outcome.TwoMacsAfterResume.TotalMilliseconds:0} ms, during freeze {outcome.TwoMacsDuringFreeze.TotalMilliseconds:0} ms"
                    : ""));
        }
        var dark = outcomes.Select(o => o.Dark.Longest.TotalMilliseconds).ToList();
        var freeze = name.StartsWith("freeze", StringComparison.Ordinal);
        return new FailoverResult(name, replicas, runs, Percentile(dark, 0.50), Percentile(dark, 0.95), dark.Max(),
            freeze ? outcomes.Max(o => o.TwoMacsAfterResume.TotalMilliseconds) : null,
            freeze ? Percentile([.. outcomes.Select(o => o.TwoMacsAfterResume.TotalMilliseconds)], 0.95) : null,
            freeze ? Percentile([.. outcomes.Select(o => o.TwoMacsDuringFreeze.TotalMilliseconds)], 0.50) : null,
            dark);
    }

    /// <summary>The nearest-rank percentile.</summary>
    public static double Percentile(IReadOnlyList<double> values, double fraction)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(fraction * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}

/// <summary>The figures of one event: dark time percentiles (ms) over its runs, and for a freeze the two-MAC times.</summary>
public sealed record FailoverResult(
    string Event, int Replicas, int Runs, double P50, double P95, double Max,
    double? TwoMacsAfterResumeMax, double? TwoMacsAfterResumeP95, double? TwoMacsDuringFreezeP50, IReadOnlyList<double> DarkMs);
