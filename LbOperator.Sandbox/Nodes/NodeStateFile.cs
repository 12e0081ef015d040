using System.Diagnostics;
using System.Text.Json;

namespace LbOperator.Sandbox.Nodes;

/// <summary>What a running node simulation records on disk: who owns it, so the next start can tell a crash from a live run.</summary>
public sealed record NodeState(int OwnerProcessId, string Prefix, DateTimeOffset Started);

/// <summary>
/// The state file of a node simulation (<c>/run/lboperator-sandbox/&lt;prefix&gt;state.json</c>). It lives on
/// tmpfs, so a reboot removes it together with the namespaces it describes.
/// </summary>
public sealed class NodeStateFile(string path)
{
    public string Path { get; } = path;

    public async Task<NodeState?> ReadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path))
        {
            return null;
        }
        try
        {
            await using var stream = File.OpenRead(Path);
            return await JsonSerializer.DeserializeAsync<NodeState>(stream, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            // A file cut short by a crash says nothing about a live owner.
            return null;
        }
    }

    public async Task WriteAsync(NodeState state, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var temporary = Path + ".tmp";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(state), cancellationToken);
        File.Move(temporary, Path, overwrite: true);
    }

    public void Delete()
    {
        if (File.Exists(Path))
        {
            File.Delete(Path);
        }
    }

    /// <summary>True when the recorded owner is another process that is still alive.</summary>
    public static bool IsOwnedByAnotherLiveProcess(NodeState state)
    {
        if (state.OwnerProcessId == Environment.ProcessId)
        {
            return false;
        }
        try
        {
            using var process = Process.GetProcessById(state.OwnerProcessId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
