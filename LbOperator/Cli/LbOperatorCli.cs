using System.CommandLine;

namespace LbOperator.Cli;

/// <summary>Builds the root command from one command class per verb and runs it.</summary>
public static class LbOperatorCli
{
    public static RootCommand BuildRootCommand(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand(
            "LbOperator: Services of type LoadBalancer for bare-metal Kubernetes, Kube-OVN style. " +
            "Addresses come from a kubeovn.io/v1 Subnet; a gateway pod with a macvlan interface net1 holds the " +
            "address and forwards LB-IP:port to the Service's ClusterIP.");
        root.Subcommands.Add(VersionCommand.Create(stdout));
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(SandboxCommand.Create(stdout));
        return root;
    }

    public static async Task<int> InvokeAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var root = BuildRootCommand(stdout, stderr);
        // CliException must reach the handler below (one line, no stack trace), so the default handler is off.
        var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        try
        {
            return await root.Parse(args).InvokeAsync(config, cancellationToken);
        }
        catch (CliException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}");
            return e.ExitCode;
        }
    }
}
