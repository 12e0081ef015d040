using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LbOperator.Sandbox.Nodes;

/// <summary>
/// The UDP counterpart of <see cref="HelloServer"/> for a backend container's UDP ports: every datagram is answered
/// with one datagram <c>I am on  &lt;pod&gt;: &lt;what was received&gt;</c>, so a caller sees which pod answered.
/// Listens on all IPv4 and IPv6 addresses of the network namespace it is started in.
/// </summary>
public sealed class HelloUdpEcho(string podName, int port)
{
    /// <summary>The answer to one datagram.</summary>
    public static byte[] Answer(string podName, ReadOnlySpan<byte> received) =>
        [.. Encoding.UTF8.GetBytes($"I am on  {podName}: "), .. received];

    public async Task RunAsync(TextWriter stdout, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp) { DualMode = true };
        socket.Bind(new IPEndPoint(IPAddress.IPv6Any, port));
        await stdout.WriteLineAsync($"{HelloServer.ReadyLine} on UDP port {port} as {podName}");
        await stdout.FlushAsync(cancellationToken);
        var buffer = new byte[64 * 1024];
        while (!cancellationToken.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.IPv6Any, 0), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (SocketException)
            {
                // An ICMP error for an earlier answer (the caller went away): keep serving.
                continue;
            }
            try
            {
                await socket.SendToAsync(Answer(podName, buffer.AsSpan(0, received.ReceivedBytes)), received.RemoteEndPoint, cancellationToken);
            }
            catch (SocketException)
            {
                // The caller is unreachable: nothing to answer.
            }
        }
    }
}
