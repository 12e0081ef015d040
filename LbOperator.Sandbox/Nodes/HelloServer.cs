using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LbOperator.Sandbox.Nodes;

/// <summary>
/// A minimal HTTP/1.1 responder standing in for a backend container image, which cannot run here: every request
/// gets <see cref="HelloPage"/> and the connection is closed. Listens on all IPv4 and IPv6 addresses of the
/// network namespace it is started in.
/// </summary>
public sealed class HelloServer(string podName, int port)
{
    /// <summary>Printed on standard output once the port is bound; whoever started the server waits for it.</summary>
    public const string ReadyLine = "hello-server listening";

    private const int MaxRequestHeadBytes = 16 * 1024;

    public async Task RunAsync(TextWriter stdout, CancellationToken cancellationToken)
    {
        using var listener = new TcpListener(IPAddress.IPv6Any, port);
        listener.Server.DualMode = true;
        listener.Start();
        await stdout.WriteLineAsync($"{ReadyLine} on port {port} as {podName}");
        await stdout.FlushAsync(cancellationToken);
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            _ = Task.Run(() => ServeAsync(client, cancellationToken), cancellationToken);
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using (client)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                var stream = client.GetStream();
                var requestUri = await ReadRequestUriAsync(stream, timeout.Token);
                var body = Encoding.UTF8.GetBytes(HelloPage.Render(podName, requestUri ?? "/"));
                var status = requestUri is null ? "400 Bad Request" : "200 OK";
                var head = string.Create(CultureInfo.InvariantCulture,
                    $"HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head), timeout.Token);
                await stream.WriteAsync(body, timeout.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // The client went away or was too slow: nothing to answer.
            }
        }
    }

    /// <summary>Reads the request head and returns the target of its request line, or null when it is not HTTP.</summary>
    private static async Task<string?> ReadRequestUriAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxRequestHeadBytes];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                break;
            }
            length += read;
            if (buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8) >= 0 || buffer.AsSpan(0, length).IndexOf("\n\n"u8) >= 0)
            {
                break;
            }
        }
        var head = Encoding.ASCII.GetString(buffer, 0, length);
        var requestLine = head.Split('\n', 2)[0].TrimEnd('\r').Split(' ');
        return requestLine.Length == 3 && requestLine[2].StartsWith("HTTP/", StringComparison.Ordinal) ? requestLine[1] : null;
    }
}
