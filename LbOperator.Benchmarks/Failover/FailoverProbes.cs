namespace LbOperator.Benchmarks.Failover;

/// <summary>
/// The probes a failover is measured with, as Python programs run inside the lab's namespaces: a new TCP connection and
/// a numbered UDP datagram to the load balancer address every 10 ms (each attempt on its own, so a lost one does not
/// delay the next), and ARP requests for the address every 10 ms, noting which MAC addresses answer.
/// </summary>
public static class FailoverProbes
{
    /// <summary>
    /// Arguments: destination, TCP port, UDP port, at most how many seconds to run. A TCP probe sends an HTTP request
    /// line and counts as answered on the first line back. Runs until SIGTERM; prints
    /// "started" once running, then at the end one
    /// JSON line: when it started and stopped sending, and the send times of the answered TCP and UDP probes (CLOCK_MONOTONIC seconds).
    /// </summary>
    public const string Traffic = """
        import asyncio, json, signal, socket, sys, time
        destination, tcp_port, udp_port, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
        family = socket.AF_INET6 if ":" in destination else socket.AF_INET
        tcp_answered, udp_sent, udp_answered = [], {}, []
        async def tcp_probe(sent):
            try:
                reader, writer = await asyncio.wait_for(asyncio.open_connection(destination, tcp_port, family=family), 0.5)
                writer.write(b"GET / HTTP/1.0\r\n\r\n")
                line = await asyncio.wait_for(reader.readline(), 0.5)
                writer.close()
                if line:
                    tcp_answered.append(sent)
            except (OSError, asyncio.TimeoutError):
                pass
        class Udp(asyncio.DatagramProtocol):
            def datagram_received(self, data, addr):
                sequence = int(data.split(b" ")[-1])
                if sequence in udp_sent:
                    udp_answered.append(udp_sent[sequence])
            def error_received(self, exc):
                pass
        async def main():
            loop = asyncio.get_running_loop()
            stop = asyncio.Event()
            loop.add_signal_handler(signal.SIGTERM, stop.set)
            transport, _ = await loop.create_datagram_endpoint(Udp, remote_addr=(destination, udp_port), family=family)
            print("started", flush=True)
            tasks, sequence = [], 0
            start = time.monotonic()
            while time.monotonic() - start < seconds and not stop.is_set():
                sent = time.monotonic()
                tasks.append(asyncio.create_task(tcp_probe(sent)))
                sequence += 1
                udp_sent[sequence] = sent
                transport.sendto(f"probe {sequence}".encode())
                await asyncio.sleep(max(0, sent + 0.01 - time.monotonic()))
            end = time.monotonic()
            await asyncio.gather(*tasks)
            await asyncio.sleep(0.3)
            transport.close()
            print(json.dumps({"start": start, "end": end, "tcp": sorted(tcp_answered), "udp": sorted(udp_answered)}), flush=True)
        asyncio.run(main())
        """;

    /// <summary>
    /// Arguments: interface, the interface's own IPv4 address, the address asked for, at most how many seconds to run.
    /// Runs until SIGTERM; prints "started", then one JSON line: for each request round (every 10 ms, CLOCK_MONOTONIC seconds), the MAC
    /// addresses that answered it.
    /// </summary>
    public const string Arp = """
        import json, signal, socket, struct, sys, time
        stopped = []
        signal.signal(signal.SIGTERM, lambda *_: stopped.append(1))
        interface, own_ip, target, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0806))
        s.bind((interface, 0))
        s.settimeout(0.001)
        own_mac = s.getsockname()[4]
        request = (b"\xff" * 6 + own_mac + b"\x08\x06" + struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1)
                   + own_mac + socket.inet_aton(own_ip) + b"\x00" * 6 + socket.inet_aton(target))
        rounds = []
        print("started", flush=True)
        start = time.monotonic()
        while time.monotonic() - start < seconds and not stopped:
            sent = time.monotonic()
            s.send(request)
            answered = set()
            while time.monotonic() < sent + 0.01:
                try:
                    frame = s.recv(128)
                except socket.timeout:
                    continue
                if len(frame) >= 42 and frame[20:22] == b"\x00\x02" and frame[28:32] == socket.inet_aton(target):
                    answered.add(frame[22:28].hex(":"))
            rounds.append([sent, sorted(answered)])
        print(json.dumps(rounds), flush=True)
        """;
}
