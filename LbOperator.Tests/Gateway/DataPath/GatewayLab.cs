using LbOperator.Sandbox.Nodes;
namespace LbOperator.Tests.Gateway.DataPath;

/// <summary>
/// A gateway pod's world in network namespaces:
/// <code>
///   client (192.168.50.2, 192.168.60.2, fd00:50::2, fd00:60::2)
///     └─ router: the Subnet gateway 172.18.0.1 / fd00:18::1 on the "physical" veth
///          └─ node: the veth's other end, parent of the macvlan net1
///               └─ gateway: net1 (macvlan) + eth0 10.16.0.2 / fd00:16::2
///                    └─ cluster: eth0's gateway 10.16.0.1 / fd00:16::1; the ClusterIPs answer on lo
/// </code>
/// The cluster's listener answers "&lt;proto&gt; &lt;port&gt; from &lt;peer&gt;", so a reply proves the port and the masquerade.
/// </summary>
internal sealed class GatewayLab : IDisposable
{
    public const string ClusterIPv4 = "10.109.201.193";
    public const string ClusterIPv6 = "fd00:96::a";
    public const string GatewayEth0IPv4 = "10.16.0.2";
    public const string GatewayEth0IPv6 = "fd00:16::2";
    public const string AllowedClientIPv4 = "192.168.50.2";
    public const string RefusedClientIPv4 = "192.168.60.2";
    public const string AllowedClientIPv6 = "fd00:50::2";
    public const string RefusedClientIPv6 = "fd00:60::2";

    private const string Listener = """
        import socket, sys, threading
        def tcp(family, address, port):
            s = socket.socket(family, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((address, port)); s.listen(16)
            while True:
                c, peer = s.accept()
                c.sendall(f"tcp {port} from {peer[0]}\n".encode()); c.close()
        def udp(family, address, port):
            s = socket.socket(family, socket.SOCK_DGRAM); s.bind((address, port))
            while True:
                data, peer = s.recvfrom(2048)
                s.sendto(f"udp {port} from {peer[0]}\n".encode(), peer)
        for spec in sys.argv[1:]:
            proto, address, port = spec.rsplit(",", 2)
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            threading.Thread(target=tcp if proto == "tcp" else udp, args=(family, address, int(port)), daemon=True).start()
        print("listening", flush=True)
        threading.Event().wait()
        """;

    private const string Client = """
        import socket, sys
        proto, source, destination, port = sys.argv[1:5]
        family = socket.AF_INET6 if ":" in destination else socket.AF_INET
        kind = socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM
        try:
            s = socket.socket(family, kind); s.settimeout(1.5); s.bind((source, 0)); s.connect((destination, int(port)))
            if proto == "udp":
                s.send(b"hello")
            print(s.recv(200).decode().strip())
        except ConnectionRefusedError:
            print("refused")
        except socket.timeout:
            print("timeout")
        """;

    private readonly NetNs _netns = new();

    public GatewayLab(IEnumerable<int> tcpPorts, IEnumerable<int> udpPorts)
    {
        try
        {
            Build(tcpPorts.ToList(), udpPorts.ToList());
        }
        catch
        {
            _netns.Dispose();
            throw;
        }
    }

    public string Gateway { get; private set; } = "";

    public string ClientNs { get; private set; } = "";

    /// <summary>Runs a gateway script inside the gateway namespace with the given shell (<c>sh</c> or <c>busybox sh</c>).</summary>
    public CommandResult RunScript(string script, params string[] shell) =>
        NetNs.TryExec(Gateway, [.. shell, "-c", script]);

    /// <summary>
    /// Runs a gateway script as the long-running container would: in a mount namespace of its own whose root file
    /// system is read-only, with empty in-memory /run and /tmp (the pod's emptyDirs). Fails at once (exit 97) if the
    /// root could still be written.
    /// </summary>
    public CommandResult RunScriptReadOnly(string script) =>
        NetNs.TryExec(Gateway, "unshare", "--mount", "--propagation", "private", "sh", "-c",
            "mount -o remount,bind,ro / && mount -t tmpfs -o size=1m tmpfs /run && mount -t tmpfs -o size=1m tmpfs /tmp || exit 96; " +
            "if [ -w / ]; then exit 97; fi; exec sh -c \"$1\"", "read-only", script);

    /// <summary>Starts the long-running container's keeper loop in the gateway namespace, as the pod would run it.</summary>
    public void StartKeeper(string apply, string check, TimeSpan interval) =>
        _netns.Start(Gateway, "keeping", "env", $"LBSVC_APPLY={apply}", $"LBSVC_CHECK={check}",
            "sh", "-c", "echo keeping; " + LbOperator.Gateway.GatewayScript.RenderKeeper(interval));

    /// <summary>Connects from the client namespace and returns the reply, "refused" or "timeout".</summary>
    public string Connect(string protocol, string source, string destination, int port) =>
        NetNs.Exec(ClientNs, "python3", "-c", Client, protocol, source, destination, port.ToString(System.Globalization.CultureInfo.InvariantCulture)).StandardOutput.Trim();

    /// <summary>Everything the script touches in the gateway namespace, without counters.</summary>
    public string Snapshot()
    {
        const string state = "iptables-save; ip6tables-save; ip -4 rule; ip -6 rule; ip -4 route show table all; " +
            "ip -6 route show table 100; ip addr show dev net1; sysctl net.ipv4.ip_forward net.ipv6.conf.all.forwarding";
        var text = NetNs.Exec(Gateway, "sh", "-c", state).StandardOutput;
        return string.Join('\n', text.Split('\n')
            .Where(line => !line.StartsWith('#'))
            .Select(line => System.Text.RegularExpressions.Regex.Replace(line, @"\[\d+:\d+\]", "")));
    }

    public void Dispose() => _netns.Dispose();

    private void Build(List<int> tcpPorts, List<int> udpPorts)
    {
        ClientNs = _netns.Create("client");
        var router = _netns.Create("router");
        var node = _netns.Create("node");
        Gateway = _netns.Create("gw");
        var cluster = _netns.Create("cluster");

        // One shell run wires everything (fewer processes: the machine is shared). Names are the test's own.
        var wiring = $$"""
            set -e
            # The physical network: a veth from the node to the router, which holds the Subnet gateway.
            ip link add phys netns {{node}} type veth peer name r0 netns {{router}}
            ip -n {{node}} link set phys up
            ip -n {{router}} link set r0 up
            ip -n {{router}} addr add 172.18.0.1/16 dev r0
            ip -n {{router}} addr add fd00:18::1/64 dev r0 nodad
            ip netns exec {{router}} sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
            # The client sits behind the router, so replies need table 100's default route.
            ip link add c0 netns {{ClientNs}} type veth peer name rc netns {{router}}
            ip -n {{ClientNs}} link set c0 up
            ip -n {{router}} link set rc up
            for pair in 192.168.50.1/24,192.168.50.2/24 192.168.60.1/24,192.168.60.2/24 fd00:50::1/64,fd00:50::2/64 fd00:60::1/64,fd00:60::2/64; do
              ip -n {{router}} addr add "${pair%,*}" dev rc nodad
              ip -n {{ClientNs}} addr add "${pair#*,}" dev c0 nodad
            done
            ip -n {{ClientNs}} -4 route add default via 192.168.50.1
            ip -n {{ClientNs}} -6 route add default via fd00:50::1
            # net1: a macvlan on the physical link, moved into the gateway as Multus would.
            ip -n {{node}} link add link phys name net1 type macvlan mode bridge
            ip -n {{node}} link set net1 netns {{Gateway}}
            # eth0: the pod's cluster interface; its gateway leads to the ClusterIPs.
            ip link add eth0 netns {{Gateway}} type veth peer name pod0 netns {{cluster}}
            ip -n {{Gateway}} link set eth0 up
            ip -n {{cluster}} link set pod0 up
            ip -n {{Gateway}} addr add {{GatewayEth0IPv4}}/16 dev eth0
            ip -n {{Gateway}} addr add {{GatewayEth0IPv6}}/64 dev eth0 nodad
            ip -n {{Gateway}} -4 route add default via 10.16.0.1
            ip -n {{Gateway}} -6 route add default via fd00:16::1
            ip -n {{cluster}} addr add 10.16.0.1/16 dev pod0
            ip -n {{cluster}} addr add fd00:16::1/64 dev pod0 nodad
            ip -n {{cluster}} addr add {{ClusterIPv4}}/32 dev lo
            ip -n {{cluster}} addr add {{ClusterIPv6}}/128 dev lo nodad
            """;
        CommandRunner.Run(["sh", "-c", wiring]).EnsureSuccess("wiring the lab");

        var listeners = new List<string>();
        foreach (var address in new[] { ClusterIPv4, ClusterIPv6 })
        {
            listeners.AddRange(tcpPorts.Select(p => $"tcp,{address},{p}"));
            listeners.AddRange(udpPorts.Select(p => $"udp,{address},{p}"));
        }
        _netns.Start(cluster, "listening", ["python3", "-c", Listener, .. listeners]);
    }
}
