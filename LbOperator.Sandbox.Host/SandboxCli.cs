using System.CommandLine;

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

    public static async Task<int> InvokeAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var root = BuildRootCommand(stdout);
        // User errors reach the handler below instead of System.CommandLine's stack-trace printer.
        var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        try
        {
            return await root.Parse(args).InvokeAsync(config, cancellationToken);
        }
        catch (SandboxUsageException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}");
            return e.ExitCode;
        }
    }
}
