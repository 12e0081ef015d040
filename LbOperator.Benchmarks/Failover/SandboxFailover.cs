using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LbOperator.Benchmarks.Scale;

namespace LbOperator.Benchmarks.Failover;

/// <summary>
/// <c>failover --sandbox</c>: the same events as the lab, through Kubernetes as the sandbox simulates it, with the
/// operator in the sandbox's process and its gateway pods on a node simulation of three nodes (from the gateway image
/// where podman has it), with node timers cut to 2 s + 2 s. The backend lives on the third node, tainted so that no
/// gateway goes there, so a crash only takes a gateway away. The events: <c>node-down</c> of the holder's node (and <c>node-up</c> after), the holder
/// pod deleted with kubectl, its processes stopped for 2 s, and a rollout (a port added to or removed from the
/// Service). Single-replica gateways meet the deletion and the crash too, as the baseline.
/// </summary>
public sealed class SandboxFailover : IDisposable
{
    private const string HighlyAvailable = "ha";
    private const string Single = "single";
    private const string HaAddress = "172.18.0.60";
    private const string SingleAddress = "172.18.0.61";
    private const string BackendNode = "sandbox-node-3";

    // Short node timers, so that a single-replica gateway's crash ends within a run: NotReady 2 s after the last
    // heartbeat, evicted 2 s later (Kubernetes' defaults are 40 s and 300 s).
    private const string NodeGracePeriod = "2s";
    private const string TolerationSeconds = "2";

    private static readonly TimeSpan Before = TimeSpan.FromSeconds(0.5);
    private static readonly TimeSpan AfterSingleCrash = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan AfterSingleDeletion = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan After = TimeSpan.FromSeconds(3);

    private readonly BenchPaths _paths;
    private readonly string _directory;
    private readonly string _prefix;
    private readonly Process _sandbox;
    private bool _portAdded;

    private SandboxFailover(BenchPaths paths, string directory, string prefix, Process sandbox)
    {
        _paths = paths;
        _directory = directory;
        _prefix = prefix;
        _sandbox = sandbox;
    }

    private string Kubeconfig => Path.Combine(_directory, "kubeconfig");

    private string ClientNamespace => _prefix + "client";

    public static SandboxFailover Start(BenchPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        paths.Check();
        var directory = Directory.CreateTempSubdirectory("lbop-failover-").FullName;
        var prefix = "lbfs" + Guid.NewGuid().ToString("N")[..6] + "-";
        var log = Path.Combine(directory, "sandbox.log");
        var command = new List<string>
        {
            "sh", "-c", "exec \"$@\" > \"$0\" 2>&1", log,
            "dotnet", paths.SandboxHost, "--nodes", "--node-count", "3", "--nodes-prefix", prefix, "--port", "0", "--kubeconfig", Path.Combine(directory, "kubeconfig"),
            "--node-grace-period", NodeGracePeriod, "--default-toleration-seconds", TolerationSeconds,
        };
        var process = Process.Start(LabShell.StartInfo(command)) ?? throw new InvalidOperationException("cannot start the sandbox");
        process.StandardInput.Close();
        var failover = new SandboxFailover(paths, directory, prefix, process);
        var clock = Stopwatch.StartNew();
        while (!File.Exists(log) || !File.ReadAllText(log).Contains("sandbox ready at", StringComparison.Ordinal))
        {
            if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(90))
            {
                var text = File.Exists(log) ? File.ReadAllText(log) : "";
                failover.Dispose();
                throw new InvalidOperationException($"the sandbox did not start: {text}");
            }
            Thread.Sleep(100);
        }
        failover.Prepare();
        return failover;
    }

    /// <summary>The figures of one event over <paramref name="runs"/> runs, as the lab's.</summary>
    public FailoverResult Series(string name, int replicas, int runs, Func<SandboxFailover, DarkTime> happen)
    {
        ArgumentNullException.ThrowIfNull(happen);
        var dark = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var outcome = happen(this);
            dark.Add(outcome.Longest.TotalMilliseconds);
            Console.WriteLine($"  sandbox: {name}, run {run + 1}: dark {outcome.Longest.TotalMilliseconds:0} ms (TCP {outcome.Tcp.TotalMilliseconds:0}, UDP {outcome.Udp.TotalMilliseconds:0})");
        }
        return new FailoverResult($"sandbox: {name}", replicas, runs, FailoverBenchmark.Percentile(dark, 0.5), FailoverBenchmark.Percentile(dark, 0.95), dark.Max(),
            null, null, null, dark);
    }

    /// <summary>
    /// The holder's node crashes; it comes back once the probes are read. A single replica is dark until its pod is
    /// evicted and its replacement runs on another node.
    /// </summary>
    public DarkTime NodeCrash(bool highlyAvailable)
    {
        var (service, address) = Target(highlyAvailable);
        var holder = Settled(service, address, highlyAvailable);
        var node = holder.Node;
        var dark = Measure(address, () => Host("node-down", node), highlyAvailable ? After : AfterSingleCrash);
        Host("node-up", node);
        return dark;
    }

    /// <summary>The holder pod is deleted (kubectl, its grace period).</summary>
    public DarkTime PodDeletion(bool highlyAvailable)
    {
        var (service, address) = Target(highlyAvailable);
        var holder = Settled(service, address, highlyAvailable);
        return Measure(address, () => Kubectl("delete", "pod", holder.Pod, "--wait=false"), highlyAvailable ? After : AfterSingleDeletion);
    }

    /// <summary>Every process of the holder pod stopped for 2 s, then resumed.</summary>
    public DarkTime Freeze()
    {
        var holder = Settled(HighlyAvailable, HaAddress, highlyAvailable: true);
        return Measure(HaAddress, () =>
        {
            Signal(holder.Namespace, "STOP");
            Thread.Sleep(TimeSpan.FromSeconds(2));
            Signal(holder.Namespace, "CONT");
        }, After);
    }

    /// <summary>A port added to (or removed from) the Service: the operator rolls its gateway, one pod at a time.</summary>
    public DarkTime Rollout()
    {
        Settled(HighlyAvailable, HaAddress, highlyAvailable: true);
        _portAdded = !_portAdded;
        var patch = _portAdded
            ? """[{"op":"add","path":"/spec/ports/-","value":{"name":"extra","protocol":"TCP","port":8080,"targetPort":80}}]"""
            : """[{"op":"remove","path":"/spec/ports/2"}]""";
        return Measure(HaAddress, () =>
        {
            Kubectl("patch", "svc", HighlyAvailable, "--type=json", "-p", patch);
            WaitUntil(() => RolledOut(), "the gateway rollout to finish", TimeSpan.FromSeconds(120));
        }, After);
    }

    public void Dispose()
    {
        if (!_sandbox.HasExited)
        {
            LabShell.Run(["kill", "-TERM", _sandbox.Id.ToString(CultureInfo.InvariantCulture)]);
            if (!_sandbox.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                _sandbox.Kill(entireProcessTree: true);
            }
        }
        _sandbox.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static (string Service, string Address) Target(bool highlyAvailable) =>
        highlyAvailable ? (HighlyAvailable, HaAddress) : (Single, SingleAddress);

    private void Prepare()
    {
        Kubectl("taint", "nodes", BackendNode, "lboperator.io/bench=backend:NoSchedule");
        var examples = Path.Combine(_paths.Root, "examples");
        Kubectl("apply", "-f", Path.Combine(examples, "nad.yaml"), "-f", Path.Combine(examples, "subnet.yaml"));
        KubectlApply($$$"""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: backend, namespace: default}
            spec:
              replicas: 1
              selector: {matchLabels: {app: backend}}
              template:
                metadata: {labels: {app: backend}}
                spec:
                  nodeSelector: {kubernetes.io/hostname: {{{BackendNode}}}}
                  tolerations: [{key: lboperator.io/bench, operator: Exists, effect: NoSchedule}]
                  containers:
                  - name: web
                    image: "qaimages:helloworld"
                    ports: [{containerPort: 80}, {containerPort: 53, protocol: UDP}]
            """);
        foreach (var (name, address, replicas) in new[] { (HighlyAvailable, HaAddress, 2), (Single, SingleAddress, 1) })
        {
            KubectlApply($$$"""
                apiVersion: v1
                kind: Service
                metadata:
                  name: {{{name}}}
                  namespace: default
                  annotations:
                    ovn.kubernetes.io/attachmentprovider: lb-svc-attachment.kube-system
                    lboperator.io/gateway-replicas: "{{{replicas}}}"
                spec:
                  type: LoadBalancer
                  loadBalancerIP: {{{address}}}
                  selector: {app: backend}
                  ports:
                  - {name: http, protocol: TCP, port: 80, targetPort: 80}
                  - {name: dns, protocol: UDP, port: 53, targetPort: 53}
                """);
        }
    }

    private sealed record Holder(string Pod, string Node, string Namespace);

    /// <summary>Waits until the Service's gateway pods all run and are ready, one holds the address, and the rest stand by.</summary>
    private Holder Settled(string service, string address, bool highlyAvailable)
    {
        Holder? holder = null;
        WaitUntil(() =>
        {
            var pods = GatewayPods(service);
            var expected = highlyAvailable ? 2 : 1;
            if (pods.Count != expected || !pods.All(p => p.Ready))
            {
                return false;
            }
            var holders = pods.Where(p => Holds(p.Namespace, address)).ToList();
            holder = holders.Count == 1 ? new Holder(holders[0].Name, holders[0].Node, holders[0].Namespace) : null;
            return holder is not null;
        }, $"{service}'s gateway to settle", TimeSpan.FromSeconds(180));
        // Ready means keepalived stands by; the pause lets the previous run's gratuitous ARPs (three, then three more a
        // second later) pass, so that each run starts from a quiet network.
        Thread.Sleep(highlyAvailable ? 1500 : 300);
        return holder!;
    }

    private sealed record GatewayPod(string Name, string Node, bool Ready, string Namespace);

    private List<GatewayPod> GatewayPods(string service)
    {
        var json = Kubectl("get", "pods", "-n", "default", "-l", $"app=lb-svc-{service}", "-o", "json");
        using var document = JsonDocument.Parse(json);
        var pods = new List<GatewayPod>();
        foreach (var pod in document.RootElement.GetProperty("items").EnumerateArray())
        {
            var metadata = pod.GetProperty("metadata");
            if (metadata.TryGetProperty("deletionTimestamp", out _))
            {
                return [];
            }
            var name = metadata.GetProperty("name").GetString()!;
            var node = pod.GetProperty("spec").TryGetProperty("nodeName", out var n) ? n.GetString() ?? "" : "";
            var ready = pod.TryGetProperty("status", out var status) && status.TryGetProperty("conditions", out var conditions)
                && conditions.EnumerateArray().Any(c => c.GetProperty("type").GetString() == "Ready" && c.GetProperty("status").GetString() == "True");
            pods.Add(new GatewayPod(name, node, ready, $"{_prefix}pod-default-{name}"));
        }
        return pods;
    }

    private bool RolledOut()
    {
        var json = Kubectl("get", "deployment", "-n", "default", $"lb-svc-{HighlyAvailable}", "-o", "json");
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var status = root.GetProperty("status");
        int Count(string field) => status.TryGetProperty(field, out var value) ? value.GetInt32() : 0;
        return status.TryGetProperty("observedGeneration", out var observed) && observed.GetInt64() == root.GetProperty("metadata").GetProperty("generation").GetInt64()
            && Count("updatedReplicas") == 2 && Count("replicas") == 2 && Count("readyReplicas") == 2 && GatewayPods(HighlyAvailable).Count == 2;
    }

    private static bool Holds(string podNamespace, string address) =>
        LabShell.Run(["ip", "-n", podNamespace, "-4", "addr", "show", "dev", "net1"]).StandardOutput.Contains($" {address}/", StringComparison.Ordinal);

    private DarkTime Measure(string address, Action happen, TimeSpan after)
    {
        using var probe = FailoverLab.StartProbe(ClientNamespace, FailoverProbes.Traffic, address, "80", "53", "600");
        Thread.Sleep(Before);
        happen();
        Thread.Sleep(after);
        return DarkTime.Parse(probe.Stop(TimeSpan.FromSeconds(30)));
    }

    private static void Signal(string podNamespace, string signal) =>
        LabShell.Run(["sh", "-c", $"ip netns pids {podNamespace} | xargs -r kill -{signal}"]);

    private void Host(string verb, string node) =>
        LabShell.Checked(["dotnet", _paths.SandboxHost, verb, "--nodes-prefix", _prefix, node], $"{verb} {node}");

    private string Kubectl(params string[] arguments) =>
        LabShell.Checked(["kubectl", "--kubeconfig", Kubeconfig, .. arguments], $"kubectl {string.Join(' ', arguments)}").StandardOutput;

    private void KubectlApply(string manifest)
    {
        var file = Path.Combine(_directory, $"manifest-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, manifest);
        Kubectl("apply", "-f", file);
    }

    private static void WaitUntil(Func<bool> condition, string what, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"waited {limit.TotalSeconds} s for {what}");
            }
            Thread.Sleep(200);
        }
    }
}
