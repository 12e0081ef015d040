using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace LbOperator.Benchmarks.Failover;

/// <summary>
/// Gateway pods of one Service side by side in network namespaces, run from their rendered scripts:
/// <code>
///   client 192.168.50.2 / fd00:50::2
///     └─ router: the Subnet's gateway 172.18.0.1 / fd00:18::1 on the physical link (its neighbour cache is the network's memory)
///          └─ node: the link's other end, parent of every gateway's macvlan net1
///               ├─ gateway 1: net1 + eth0 10.16.0.11 ─┐
///               └─ gateway 2: net1 + eth0 10.16.0.12 ─┴─ cluster: bridge 10.16.0.1 / fd00:16::1; the ClusterIPs answer on lo
/// </code>
/// A gateway is its apply script run once (the init container) and its long-running commands (keeper, keepalived)
/// started in its namespace. Crashing one kills its processes and takes its net1 down, as a dead node's would be;
/// deleting one sends SIGTERM and removes it. Everything is named with a prefix unique to the lab and removed on
/// <see cref="Dispose"/>.
/// </summary>
public sealed class FailoverLab : IDisposable
{
    public const string ClusterIPv4 = "10.109.201.193";
    public const string ClusterIPv6 = "fd00:96::a";
    public const string ClientIPv4 = "192.168.50.2";
    public const string ClientIPv6 = "fd00:50::2";
    public const string RouterIPv4 = "172.18.0.1";

    private const string Listener = """
        import socket, sys, threading
        def tcp(family, address, port):
            s = socket.socket(family, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((address, port)); s.listen(128)
            while True:
                c, peer = s.accept()
                try:
                    c.settimeout(0.5)
                    try:
                        c.recv(1024)  # the client's request: read before answering, so the close is clean
                    except socket.timeout:
                        pass  # a client that sends nothing still gets its line
                    c.sendall(f"tcp {port} from {peer[0]}\n".encode())
                except OSError:
                    pass  # a client that gave up
                finally:
                    c.close()
        def udp(family, address, port):
            s = socket.socket(family, socket.SOCK_DGRAM); s.bind((address, port))
            while True:
                data, peer = s.recvfrom(2048)
                s.sendto(b"udp " + data, peer)
        for spec in sys.argv[1:]:
            proto, address, port = spec.rsplit(",", 2)
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            threading.Thread(target=tcp if proto == "tcp" else udp, args=(family, address, int(port)), daemon=True).start()
        print("listening", flush=True)
        threading.Event().wait()
        """;

    private readonly List<string> _namespaces = [];
    private readonly Dictionary<string, List<Process>> _processes = new(StringComparer.Ordinal);
    private readonly string _logDirectory;
    private int _nextGateway = 1;

    public FailoverLab(IReadOnlyList<int> tcpPorts, IReadOnlyList<int> udpPorts)
    {
        Prefix = "lbf" + RandomNumberGenerator.GetHexString(6, lowercase: true);
        _logDirectory = Path.Combine(Path.GetTempPath(), Prefix);
        Directory.CreateDirectory(_logDirectory);
        try
        {
            Build(tcpPorts, udpPorts);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Prefix { get; }

    public string Client => $"{Prefix}-client";

    public string Router => $"{Prefix}-router";

    /// <summary>The gateways running now, oldest first.</summary>
    public IReadOnlyList<string> Gateways => [.. _processes.Keys.Where(k => k.Contains("-gw", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    /// <summary>
    /// Starts a gateway: a namespace with net1 and eth0, the apply script run to completion (as the init container),
    /// then the long-running commands, each with the environment of its container. Returns the namespace's name.
    /// </summary>
    public string StartGateway(string apply, IReadOnlyList<LabContainer> containers)
    {
        ArgumentNullException.ThrowIfNull(containers);
        var index = _nextGateway++;
        var name = $"{Prefix}-gw{index.ToString("D2", CultureInfo.InvariantCulture)}";
        CreateNamespace(name);
        var host = (10 + index).ToString(CultureInfo.InvariantCulture);
        var wiring = $"""
            set -e
            ip -n {Prefix}-node link add link phys name m{index} type macvlan mode bridge
            ip -n {Prefix}-node link set m{index} netns {name}
            ip -n {name} link set m{index} name net1
            ip link add eth0 netns {name} type veth peer name v{index} netns {Prefix}-cluster
            ip -n {Prefix}-cluster link set v{index} master br0 up
            ip -n {name} addr add 10.16.0.{host}/16 dev eth0
            ip -n {name} addr add fd00:16::{host}/64 dev eth0 nodad
            ip -n {name} link set eth0 up
            ip -n {name} -4 route add default via 10.16.0.1
            ip -n {name} -6 route add default via fd00:16::1
            """;
        LabShell.Checked(["sh", "-c", wiring], $"wiring gateway {name}");
        LabShell.Checked(["ip", "netns", "exec", name, "sh", "-c", apply], $"the apply script in {name}");
        _processes[name] = [];
        foreach (var container in containers)
        {
            var log = Path.Combine(_logDirectory, $"{name}-{container.Name}.log");
            var command = new List<string> { "ip", "netns", "exec", name, "env" };
            command.AddRange(container.Environment.Select(e => $"{e.Key}={e.Value}"));
            // Each with a /run of its own, as a container's in-memory emptyDir: keepalived's files stay off this machine's /run.
            command.AddRange(["unshare", "--mount", "--propagation", "private", "sh", "-c",
                $"mount -t tmpfs -o size=1m tmpfs /run && exec \"$0\" -c \"$1\" > {log} 2>&1", "sh", container.Script]);
            var process = Process.Start(LabShell.StartInfo(command)) ?? throw new InvalidOperationException($"cannot start {container.Name} in {name}");
            process.StandardInput.Close();
            _processes[name].Add(process);
        }
        return name;
    }

    /// <summary>The lines a container of a gateway has written so far.</summary>
    public string LogOf(string gateway, string container)
    {
        var path = Path.Combine(_logDirectory, $"{gateway}-{container}.log");
        return File.Exists(path) ? File.ReadAllText(path).Replace("\0", "", StringComparison.Ordinal) : "";
    }

    /// <summary>The gateways whose net1 holds <paramref name="address"/> now.</summary>
    public IReadOnlyList<string> HoldersOf(string address) =>
        [.. Gateways.Where(g => LabShell.Run(["ip", "-n", g, "addr", "show", "dev", "net1"]).StandardOutput
            .Contains($" {address}/", StringComparison.Ordinal))];

    /// <summary>net1's MAC address in a gateway.</summary>
    public string MacOf(string gateway)
    {
        var fields = LabShell.Checked(["ip", "-n", Own(gateway), "-br", "link", "show", "dev", "net1"], "reading net1").StandardOutput
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields[2];
    }

    /// <summary>Runs a command in a gateway's namespace.</summary>
    public LabCommandResult Exec(string gateway, params string[] command) => LabShell.Run(["ip", "netns", "exec", Own(gateway), .. command]);

    /// <summary>One new TCP connection from the client to <paramref name="destination"/>: the reply line, "refused" or "timeout".</summary>
    public string Connect(string destination, int port)
    {
        const string client = """
            import socket, sys
            destination, port = sys.argv[1], int(sys.argv[2])
            try:
                s = socket.create_connection((destination, port), timeout=1.5)
                s.sendall(b"GET / HTTP/1.0\r\n\r\n")
                print(s.recv(200).decode().strip())
            except ConnectionRefusedError:
                print("refused")
            except OSError:
                print("timeout")
            """;
        return LabShell.Run(["ip", "netns", "exec", Client, "python3", "-c", client, destination, port.ToString(CultureInfo.InvariantCulture)])
            .StandardOutput.Trim();
    }

    /// <summary>A node crash, as the gateway sees it: every process killed at once and its uplink gone.</summary>
    public void Crash(string gateway)
    {
        Signal(gateway, "KILL");
        LabShell.Run(["ip", "-n", Own(gateway), "link", "set", "net1", "down"]);
    }

    /// <summary>A pod deleted: SIGTERM to its processes, which get the grace period to exit; then the namespace goes.</summary>
    public void Delete(string gateway, TimeSpan grace)
    {
        Signal(gateway, "TERM");
        var deadline = Stopwatch.StartNew();
        foreach (var process in _processes.GetValueOrDefault(gateway) ?? [])
        {
            process.WaitForExit(grace > deadline.Elapsed ? grace - deadline.Elapsed : TimeSpan.Zero);
        }
        Remove(gateway);
    }

    /// <summary>Stops (SIGSTOP) or resumes (SIGCONT) every process of a gateway, as a frozen pod or node would be.</summary>
    public void Freeze(string gateway, bool frozen) => Signal(gateway, frozen ? "STOP" : "CONT");

    /// <summary>Removes a gateway: its processes killed, its namespace (and with it net1 and eth0) deleted.</summary>
    public void Remove(string gateway)
    {
        Signal(gateway, "KILL");
        foreach (var process in _processes.GetValueOrDefault(gateway) ?? [])
        {
            process.WaitForExit(5000);
            process.Dispose();
        }
        _processes.Remove(gateway);
        LabShell.Run(["ip", "netns", "del", gateway]);
        _namespaces.Remove(gateway);
    }

    /// <summary>Starts a probe program in a namespace; it prints "started" when running.</summary>
    public static LabProbe StartProbe(string inNamespace, string program, params string[] arguments)
    {
        var process = Process.Start(LabShell.StartInfo(["ip", "netns", "exec", inNamespace, "python3", "-c", program, .. arguments]))
            ?? throw new InvalidOperationException("cannot start the probe");
        process.StandardInput.Close();
        var first = process.StandardOutput.ReadLine();
        if (first != "started")
        {
            var error = process.StandardError.ReadToEnd();
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw new InvalidOperationException($"the probe did not start: {first} {error}");
        }
        return new LabProbe(process);
    }

    public void Dispose()
    {
        foreach (var gateway in _processes.Keys.ToList())
        {
            Signal(gateway, "KILL");
            foreach (var process in _processes[gateway])
            {
                process.WaitForExit(5000);
                process.Dispose();
            }
        }
        _processes.Clear();
        foreach (var name in _namespaces.AsEnumerable().Reverse().ToList())
        {
            LabShell.Run(["sh", "-c", $"ip netns pids {name} | xargs -r kill -KILL; ip netns del {name}"]);
        }
        _namespaces.Clear();
        if (Directory.Exists(_logDirectory))
        {
            Directory.Delete(_logDirectory, recursive: true);
        }
    }

    private void Signal(string gateway, string signal) =>
        LabShell.Run(["sh", "-c", $"ip netns pids {Own(gateway)} | xargs -r kill -{signal}"]);

    // Only namespaces this lab created are ever touched.
    private string Own(string name) =>
        _namespaces.Contains(name) ? name : throw new ArgumentException($"{name} is not a namespace of lab {Prefix}", nameof(name));

    private void CreateNamespace(string name)
    {
        LabShell.Checked(["ip", "netns", "add", name], $"creating namespace {name}");
        _namespaces.Add(name);
        LabShell.Checked(["ip", "-n", name, "link", "set", "lo", "up"], $"lo in {name}");
    }

    private void Build(IReadOnlyList<int> tcpPorts, IReadOnlyList<int> udpPorts)
    {
        foreach (var role in new[] { "router", "client", "node", "cluster" })
        {
            CreateNamespace($"{Prefix}-{role}");
        }
        var (router, client, node, cluster) = ($"{Prefix}-router", Client, $"{Prefix}-node", $"{Prefix}-cluster");
        var wiring = $$"""
            set -e
            ip link add phys netns {{node}} type veth peer name r0 netns {{router}}
            ip -n {{node}} link set phys up
            ip -n {{router}} link set r0 up
            ip -n {{router}} addr add {{RouterIPv4}}/16 dev r0
            ip -n {{router}} addr add fd00:18::1/64 dev r0 nodad
            ip netns exec {{router}} sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
            ip link add c0 netns {{client}} type veth peer name rc netns {{router}}
            ip -n {{client}} link set c0 up
            ip -n {{router}} link set rc up
            ip -n {{router}} addr add 192.168.50.1/24 dev rc
            ip -n {{router}} addr add fd00:50::1/64 dev rc nodad
            ip -n {{client}} addr add {{ClientIPv4}}/24 dev c0
            ip -n {{client}} addr add {{ClientIPv6}}/64 dev c0 nodad
            ip -n {{client}} -4 route add default via 192.168.50.1
            ip -n {{client}} -6 route add default via fd00:50::1
            # A bridge takes the lowest MAC address of its ports unless given one: pods coming and going would change
            # the gateway address's MAC under the other pods' neighbour entries.
            ip -n {{cluster}} link add br0 address 02:00:0a:10:00:01 type bridge
            ip -n {{cluster}} link set br0 up
            ip -n {{cluster}} addr add 10.16.0.1/16 dev br0
            ip -n {{cluster}} addr add fd00:16::1/64 dev br0 nodad
            ip -n {{cluster}} addr add {{ClusterIPv4}}/32 dev lo
            ip -n {{cluster}} addr add {{ClusterIPv6}}/128 dev lo nodad
            """;
        LabShell.Checked(["sh", "-c", wiring], "wiring the lab");
        var listeners = new[] { ClusterIPv4, ClusterIPv6 }
            .SelectMany(a => tcpPorts.Select(p => $"tcp,{a},{p}").Concat(udpPorts.Select(p => $"udp,{a},{p}")))
            .ToList();
        var listener = Process.Start(LabShell.StartInfo(["ip", "netns", "exec", cluster, "python3", "-c", Listener, .. listeners]))
            ?? throw new InvalidOperationException("cannot start the cluster's listener");
        listener.StandardInput.Close();
        _processes[cluster] = [listener];
        if (listener.StandardOutput.ReadLine() != "listening")
        {
            throw new InvalidOperationException($"the cluster's listener did not start: {listener.StandardError.ReadToEnd()}");
        }
    }
}

/// <summary>A long-running command of a gateway, as its container runs it: a shell script and its environment.</summary>
public sealed record LabContainer(string Name, string Script, IReadOnlyDictionary<string, string> Environment);

/// <summary>A running probe; <see cref="Stop"/> ends it (SIGTERM) and returns its one line of JSON.</summary>
public sealed class LabProbe(Process process) : IDisposable
{
    public string Stop(TimeSpan timeout)
    {
        var output = process.StandardOutput.ReadToEndAsync();
        // `ip netns exec` runs the probe in its own process: the signal reaches it.
        LabShell.Run(["kill", "-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the probe did not finish");
        }
        return output.Result.Trim();
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
        process.Dispose();
    }
}
