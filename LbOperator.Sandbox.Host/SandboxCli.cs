using System.CommandLine;
using LbOperator.Cli;

namespace LbOperator.Sandbox.Host;

/// <summary>Builds the sandbox's command line (the server, <c>exec-client</c>, the hidden <c>hello-server</c>) and runs it.</summary>
public static class SandboxCli
{
    public static RootCommand BuildRootCommand(TextWriter stdout)
    {
        var root = SandboxCommand.Create(stdout, () => [InProcessOperator.ForSandbox()]);
        root.Subcommands.Add(HelloServerCommand.Create(stdout));
        return root;
    }

    public static Task<int> InvokeAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken) =>
        LbOperatorCli.InvokeAsync(BuildRootCommand(stdout), args, stdout, stderr, cancellationToken);
}
