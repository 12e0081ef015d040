using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace LbOperator.Sandbox.Nodes;

/// <summary>
/// The node simulation's control channel: a Unix socket next to the state file
/// (<c>/run/lboperator-sandbox/&lt;prefix&gt;control.sock</c>) taking one line per connection,
/// <c>node-down NODE</c> or <c>node-up NODE</c>, and answering one line, <c>ok …</c> or <c>error …</c>. Served by the
/// node simulation, not the API server, which knows nothing of networking; only root can reach it (mode 0600).
/// </summary>
public sealed class NodeControlServer : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly string _path;
    private readonly Func<string, string, CancellationToken, Task<string>> _handle;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;

    private NodeControlServer(string path, Func<string, string, CancellationToken, Task<string>> handle, ILogger logger)
    {
        _path = path;
        _handle = handle;
        _logger = logger;
        File.Delete(path);
        _socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _socket.Bind(new UnixDomainSocketEndPoint(path));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        _socket.Listen(8);
        _accepting = AcceptAsync(_stopping.Token);
    }

    /// <summary>Listens on <paramref name="path"/>; <paramref name="handle"/> gets the verb and the node name and returns the answer's text.</summary>
    public static NodeControlServer Start(string path, Func<string, string, CancellationToken, Task<string>> handle, ILogger logger) =>
        new(path, handle, logger);

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await _socket.AcceptAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = ServeAsync(connection, cancellationToken);
        }
    }

    private async Task ServeAsync(Socket connection, CancellationToken cancellationToken)
    {
        await using var stream = new NetworkStream(connection, ownsSocket: true);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true };
        string answer;
        try
        {
            var line = await reader.ReadLineAsync(cancellationToken) ?? "";
            var parts = line.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            answer = parts is [var verb, var node]
                ? "ok " + await _handle(verb, node, cancellationToken)
                : $"error expected 'node-down NODE' or 'node-up NODE', got '{line}'";
        }
        catch (OperationCanceledException)
        {
            return;
        }
#pragma warning disable CA1031 // Whatever went wrong goes back to the caller as the answer.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _logger.NodeControlFailed(e.Message);
            answer = "error " + e.Message;
        }
        try
        {
            await writer.WriteLineAsync(answer.AsMemory(), cancellationToken);
        }
        catch (IOException)
        {
            // The caller went away.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _socket.Dispose();
        await _accepting;
        _stopping.Dispose();
        File.Delete(_path);
    }
}

/// <summary>The other end of <see cref="NodeControlServer"/>: what <c>node-down</c> and <c>node-up</c> run.</summary>
public static class NodeControlClient
{
    /// <summary>Sends <c>verb node</c> and returns the answer line (<c>ok …</c> or <c>error …</c>).</summary>
    public static async Task<string> SendAsync(string path, string verb, string node, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true };
        using var reader = new StreamReader(stream, Encoding.UTF8);
        await writer.WriteLineAsync($"{verb} {node}".AsMemory(), cancellationToken);
        return await reader.ReadLineAsync(cancellationToken) ?? "error no answer";
    }
}
