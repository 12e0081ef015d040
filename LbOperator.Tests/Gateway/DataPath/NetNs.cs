using System.Diagnostics;
using System.Security.Cryptography;
using LbOperator.Sandbox.Nodes;

namespace LbOperator.Tests.Gateway.DataPath;

/// <summary>
/// Network namespaces for one test: each gets a name with a prefix unique to this instance, and all of them (with
/// the processes started in them) are removed on <see cref="Dispose"/>, also when the test failed.
/// </summary>
internal sealed class NetNs : IDisposable
{
    private readonly List<string> _namespaces = [];
    private readonly List<Process> _processes = [];

    public string Prefix { get; } = "lbt" + RandomNumberGenerator.GetHexString(6, lowercase: true);

    /// <summary>Creates namespace <c>&lt;prefix&gt;-&lt;role&gt;</c> with its loopback up and returns its name.</summary>
    public string Create(string role)
    {
        var name = $"{Prefix}-{role}";
        CommandRunner.Run(["ip", "netns", "add", name]).EnsureSuccess($"creating namespace {name}");
        _namespaces.Add(name);
        Exec(name, "ip", "link", "set", "lo", "up");
        return name;
    }

    /// <summary>Runs a command inside a namespace and fails when it fails.</summary>
    public static CommandResult Exec(string name, params string[] command) =>
        TryExec(name, command).EnsureSuccess($"[{name}] {string.Join(' ', command)}");

    public static CommandResult TryExec(string name, params string[] command) =>
        CommandRunner.Run(["ip", "netns", "exec", name, .. command]);

    /// <summary>Runs an <c>ip</c> command from the test's own namespace (used to create links between namespaces).</summary>
    public static void Ip(params string[] arguments) =>
        CommandRunner.Run(["ip", .. arguments]).EnsureSuccess($"ip {string.Join(' ', arguments)}");

    /// <summary>Starts a long-running process in a namespace and waits until it prints <paramref name="readyLine"/>.</summary>
    public void Start(string name, string readyLine, params string[] command)
    {
        var process = new Process { StartInfo = CommandRunner.StartInfo(["ip", "netns", "exec", name, .. command]) };
        process.Start();
        _processes.Add(process);
        var first = process.StandardOutput.ReadLineAsync();
        if (!first.Wait(TimeSpan.FromSeconds(30)) || first.Result != readyLine)
        {
            throw new InvalidOperationException($"[{name}] {string.Join(' ', command)} did not start: {process.StandardError.ReadToEnd()}");
        }
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
            process.Dispose();
        }
        foreach (var name in _namespaces)
        {
            CommandRunner.Run(["ip", "netns", "del", name]);
        }
    }
}
