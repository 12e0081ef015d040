using System.Diagnostics;
using System.Net;

namespace LbOperator.Benchmarks.Failover;

/// <summary>Dark time around one event, and for a freeze how long two MAC addresses answered for the address.</summary>
public sealed record FailoverOutcome(DarkTime Dark, TimeSpan TwoMacsAfterResume, TimeSpan TwoMacsDuringFreeze);

/// <summary>
/// The events a highly available gateway is measured and tested with, on a <see cref="FailoverLab"/>: each keeps the
/// wanted number of gateways running, finds the holder of the address, starts the probes, does the event to the holder
/// and reads the probes.
/// </summary>
public sealed class FailoverEvents(FailoverLab lab, LabGatewayScripts scripts, int replicas)
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(20);

    // The probes run this long before the event and after it ends.
    private static readonly TimeSpan Before = TimeSpan.FromSeconds(0.5);
    private static readonly TimeSpan After = TimeSpan.FromSeconds(2.5);

    /// <summary>Grace of a deleted pod: as the gateway's terminationGracePeriodSeconds.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    public FailoverLab Lab => lab;

    public IPAddress Address => scripts.Addresses[0];

    /// <summary>
    /// Starts gateways until <c>replicas</c> run, then waits until exactly one holds every address and every other one
    /// stands by (keepalived in BACKUP with its check passed). Returns the holder.
    /// </summary>
    public string Settled()
    {
        while (lab.Gateways.Count < replicas)
        {
            lab.StartGateway(scripts.Apply, scripts.Containers);
        }
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Settle)
        {
            var holders = scripts.Addresses.Select(a => lab.HoldersOf(a.ToString())).ToList();
            if (holders.All(h => h.Count == 1) && holders.Select(h => h[0]).Distinct().Count() == 1
                && (replicas == 1 || lab.Gateways.All(g => holders[0].Contains(g) || StandsBy(g))))
            {
                return holders[0][0];
            }
            Thread.Sleep(50);
        }
        throw new TimeoutException($"no single holder of {string.Join(",", scripts.Addresses)} with standing-by peers after {Settle.TotalSeconds} s: " +
            string.Join("; ", lab.Gateways.Select(g => $"{g}: {string.Join(" | ", LastLines(lab.LogOf(g, "lb-svc-vrrp"), 3))}")));
    }

    /// <summary>
    /// The holder's node crashes: processes killed, uplink down. A single-replica gateway has no standby: its
    /// replacement is started at once, which gives the floor (Kubernetes itself waits for the node to be declared
    /// unreachable and for the pod's toleration to run out before it replaces the pod, by default 40 s + 300 s).
    /// </summary>
    public FailoverOutcome NodeCrash() => Measure(holder =>
    {
        lab.Crash(holder);
        if (replicas == 1)
        {
            lab.Remove(holder);
            lab.StartGateway(scripts.Apply, scripts.Containers);
        }
    }, cleanUp: holder =>
    {
        if (replicas > 1)
        {
            lab.Remove(holder);
        }
    });

    /// <summary>The holder's pod is deleted: SIGTERM, grace period, gone.</summary>
    public FailoverOutcome PodDeletion() => Measure(holder =>
    {
        lab.Delete(holder, Grace);
        if (replicas == 1)
        {
            // Recreate: the Deployment's replacement starts once the old pod is gone.
            lab.StartGateway(scripts.Apply, scripts.Containers);
        }
    });

    /// <summary>The holder is frozen for <paramref name="frozen"/> and resumes.</summary>
    public FailoverOutcome Freeze(TimeSpan frozen)
    {
        using var arp = FailoverLab.StartProbe(lab.Router, FailoverProbes.Arp, "r0", FailoverLab.RouterIPv4, Address.ToString(), "120");
        var resumedAt = 0.0;
        var frozenAt = 0.0;
        var outcome = Measure(holder =>
        {
            frozenAt = Now();
            lab.Freeze(holder, frozen: true);
            Thread.Sleep(frozen);
            lab.Freeze(holder, frozen: false);
            resumedAt = Now();
        });
        var rounds = System.Text.Json.JsonDocument.Parse(arp.Stop(TimeSpan.FromSeconds(30))).RootElement.EnumerateArray()
            .Select(r => (Sent: r[0].GetDouble(), Macs: r[1].GetArrayLength())).ToList();
        var twoAfter = rounds.Where(r => r.Sent >= resumedAt && r.Macs > 1).Select(r => r.Sent - resumedAt + 0.01).DefaultIfEmpty(0).Max();
        var twoDuring = rounds.Count(r => r.Sent >= frozenAt && r.Sent < resumedAt && r.Macs > 1) * 0.01;
        return outcome with { TwoMacsAfterResume = TimeSpan.FromSeconds(twoAfter), TwoMacsDuringFreeze = TimeSpan.FromSeconds(twoDuring) };
    }

    /// <summary>
    /// A rollout as the Deployment does it with maxSurge 1 and maxUnavailable 0: a new pod (the template with
    /// <paramref name="next"/>'s scripts) starts and stands by, then an old one goes, the holder first; until none is left.
    /// </summary>
    public FailoverOutcome Rollout(LabGatewayScripts next) => Measure(holder =>
    {
        var old = lab.Gateways.OrderBy(g => g == holder ? 0 : 1).ToList();
        foreach (var gateway in old)
        {
            var started = lab.StartGateway(next.Apply, next.Containers);
            WaitUntil(() => StandsBy(started), $"{started} standing by");
            lab.Delete(gateway, Grace);
        }
    });

    private FailoverOutcome Measure(Action<string> happen, Action<string>? cleanUp = null)
    {
        var holder = Settled();
        DarkTime dark;
        using (var probe = FailoverLab.StartProbe(lab.Client, FailoverProbes.Traffic, Address.ToString(), "80", "53", "120"))
        {
            Thread.Sleep(Before);
            happen(holder);
            Thread.Sleep(After);
            dark = DarkTime.Parse(probe.Stop(TimeSpan.FromSeconds(30)));
        }
        cleanUp?.Invoke(holder);
        return new FailoverOutcome(dark, TimeSpan.Zero, TimeSpan.Zero);
    }

    private bool StandsBy(string gateway) =>
        lab.LogOf(gateway, "lb-svc-vrrp").Split('\n').LastOrDefault(l => l.Contains("STATE", StringComparison.Ordinal))?.Contains("BACKUP", StringComparison.Ordinal) == true;

    private static void WaitUntil(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Settle)
            {
                throw new TimeoutException($"waited {Settle.TotalSeconds} s for {what}");
            }
            Thread.Sleep(20);
        }
    }

    private static double Now() => Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;

    private static IEnumerable<string> LastLines(string text, int count) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(count);
}
