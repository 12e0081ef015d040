using System.Net.Sockets;

namespace LbOperator.Sandbox.Nodes;

/// <summary>
/// A named network namespace (<c>/run/netns/&lt;name&gt;</c>) and the commands run inside it through
/// <c>ip netns exec</c>. Only namespaces the node simulation created are ever handed to this type.
/// </summary>
public sealed record NetworkNamespace(string Name)
{
    /// <summary>Where <c>ip netns</c> keeps the namespace: what a container engine joins (<c>--network ns:PATH</c>).</summary>
    public string Path => $"/run/netns/{Name}";

    /// <summary>Creates the namespace and brings its loopback up.</summary>
    public static async Task<NetworkNamespace> CreateAsync(string name, CancellationToken cancellationToken)
    {
        await CommandRunner.RunCheckedAsync(["ip", "netns", "add", name], cancellationToken);
        var created = new NetworkNamespace(name);
        await created.IpAsync(cancellationToken, "link", "set", "lo", "up");
        return created;
    }

    /// <summary>The names of all network namespaces on this machine.</summary>
    public static async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken)
    {
        var result = await CommandRunner.RunCheckedAsync(["ip", "netns", "list"], cancellationToken);
        // Lines look like "name" or "name (id: 3)".
        return result.StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ', 2)[0])
            .ToList();
    }

    /// <summary>
    /// Kills every process still running inside the namespace, then deletes it; devices inside go with it.
    /// A namespace that no longer exists is not an error.
    /// </summary>
    public async Task DeleteAsync(CancellationToken cancellationToken)
    {
        await KillProcessesAsync(cancellationToken);
        var result = await CommandRunner.RunAsync(["ip", "netns", "delete", Name], cancellationToken);
        if (result.ExitCode != 0 && !result.StandardError.Contains("No such file", StringComparison.Ordinal))
        {
            throw new CommandFailedException($"cannot delete network namespace {Name}: {result.StandardError.Trim()}", result);
        }
    }

    /// <summary>Ids of the processes whose network namespace is this one.</summary>
    public async Task<IReadOnlyList<int>> ProcessIdsAsync(CancellationToken cancellationToken)
    {
        var result = await CommandRunner.RunAsync(["ip", "netns", "pids", Name], cancellationToken);
        return result.ExitCode != 0
            ? []
            : result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(int.Parse).ToList();
    }

    /// <summary>SIGKILLs every process inside the namespace (and its children), as a machine losing power would.</summary>
    public async Task KillProcessesAsync(CancellationToken cancellationToken)
    {
        foreach (var id in await ProcessIdsAsync(cancellationToken))
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(id);
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
            catch (InvalidOperationException)
            {
                // Exited between listing and killing.
            }
        }
    }

    /// <summary><c>ip -n &lt;name&gt; args...</c>, failing on a non-zero exit.</summary>
    public Task<CommandResult> IpAsync(CancellationToken cancellationToken, params string[] arguments) =>
        CommandRunner.RunCheckedAsync(["ip", "-n", Name, .. arguments], cancellationToken);

    /// <summary>Runs a command inside the namespace, failing on a non-zero exit.</summary>
    public Task<CommandResult> ExecCheckedAsync(IReadOnlyList<string> command, CancellationToken cancellationToken, string? standardInput = null, TimeSpan? timeout = null) =>
        CommandRunner.RunCheckedAsync(ExecCommand(command), cancellationToken, standardInput, timeout);

    /// <summary>Runs a command inside the namespace and returns its result whatever the exit code.</summary>
    public Task<CommandResult> ExecAsync(IReadOnlyList<string> command, CancellationToken cancellationToken, string? standardInput = null, TimeSpan? timeout = null) =>
        CommandRunner.RunAsync(ExecCommand(command), cancellationToken, standardInput, timeout);

    /// <summary>The command line that runs <paramref name="command"/> inside this namespace.</summary>
    public IReadOnlyList<string> ExecCommand(IReadOnlyList<string> command) => ["ip", "netns", "exec", Name, .. command];

    /// <summary>Sets a sysctl of this namespace (e.g. <c>net.ipv4.ip_forward</c>).</summary>
    public Task SysctlAsync(string key, string value, CancellationToken cancellationToken) =>
        ExecCheckedAsync(["sysctl", "-q", "-w", $"{key}={value}"], cancellationToken);

    /// <summary>
    /// Loads rules with <c>iptables-restore</c> (or the IPv6 twin). Without <paramref name="keepOtherRules"/> every
    /// table named in the text is replaced as a whole; with it (<c>--noflush</c>) only the chains named change.
    /// </summary>
    public Task IptablesRestoreAsync(AddressFamily family, string rules, bool keepOtherRules, CancellationToken cancellationToken) =>
        ExecCheckedAsync(
            keepOtherRules ? [RestoreProgram(family), "--noflush"] : [RestoreProgram(family)],
            cancellationToken, rules);

    private static string RestoreProgram(AddressFamily family) =>
        family == AddressFamily.InterNetworkV6 ? "ip6tables-restore" : "iptables-restore";
}
