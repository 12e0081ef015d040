using System.CommandLine;

namespace LbOperator.Cli;

/// <summary>Builds the root command from one command class per verb and runs it.</summary>
public static class LbOperatorCli
{
    /// <summary>What <c>validate</c> checks, one validator per kind.</summary>
    private static readonly IReadOnlyList<IManifestValidator> ManifestValidators = [new SubnetManifestValidator(), new ServiceManifestValidator()];

    public static RootCommand BuildRootCommand(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand(
            "LbOperator: Services of type LoadBalancer for bare-metal Kubernetes, Kube-OVN style. " +
            "Addresses come from a kubeovn.io/v1 Subnet; a gateway pod with a macvlan interface net1 holds the " +
            "address and forwards LB-IP:port to the Service's ClusterIP.");
        root.Subcommands.Add(VersionCommand.Create(stdout));
        root.Subcommands.Add(RunCommand.Create(stderr));
        root.Subcommands.Add(GenerateCommand.Create(stdout));
        root.Subcommands.Add(ValidateCommand.Create(stdout, ManifestReader.Default, ManifestValidators));
        root.Subcommands.Add(RenderCommand.Create(stdout, ManifestReader.Default));
        return root;
    }

    public static Task<int> InvokeAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken) =>
        InvokeAsync(BuildRootCommand(stdout, stderr), args, stdout, stderr, cancellationToken);

    /// <summary>Runs <paramref name="root"/> the way every LbOperator executable does: a user error is one line on stderr and a non-zero exit.</summary>
    public static async Task<int> InvokeAsync(RootCommand root, string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(root);
        // User errors (CliException) reach the handler below instead of System.CommandLine's stack-trace printer.
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
