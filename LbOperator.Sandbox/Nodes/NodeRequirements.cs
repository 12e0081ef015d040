namespace LbOperator.Sandbox.Nodes;

/// <summary>What the node simulation needs from this machine: root, iproute2 and iptables.</summary>
public static class NodeRequirements
{
    /// <summary>Program → Debian package that provides it.</summary>
    private static readonly (string Program, string Package)[] Programs =
    [
        ("ip", "iproute2"),
        ("iptables", "iptables"),
        ("iptables-restore", "iptables"),
        ("ip6tables-restore", "iptables"),
        ("sysctl", "procps"),
    ];

    /// <summary>The reasons the simulation cannot run here; empty when it can.</summary>
    public static IReadOnlyList<string> Missing()
    {
        var missing = new List<string>();
        if (!Environment.IsPrivilegedProcess)
        {
            missing.Add("root (it creates network namespaces); run it with sudo or as root");
        }
        var absent = Programs.Where(p => FindOnPath(p.Program) is null).ToList();
        if (absent.Count > 0)
        {
            missing.Add($"programs {string.Join(", ", absent.Select(p => p.Program))} " +
                $"(Debian: apt-get install {string.Join(' ', absent.Select(p => p.Package).Distinct())})");
        }
        return missing;
    }

    public static Task CheckAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var missing = Missing();
        return missing.Count == 0
            ? Task.CompletedTask
            : throw new InvalidOperationException($"the node simulation needs {string.Join(" and ", missing)}");
    }

    public static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
}
