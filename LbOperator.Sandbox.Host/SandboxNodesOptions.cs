using System.CommandLine;
using LbOperator.Cli;
using LbOperator.Sandbox.Nodes;
using Microsoft.Extensions.Logging;

namespace LbOperator.Sandbox.Host;

/// <summary>
/// The node-simulation parts of the sandbox: the <c>--nodes</c> options and the <c>exec-client</c>
/// subcommand that runs a command in the client namespace (see docs/nodes.md).
/// </summary>
internal sealed class SandboxNodesOptions
{
    private readonly Option<bool> _nodes = new("--nodes")
    {
        Description = "Also simulate a node on this machine (root only): pods become network namespaces with real " +
            "eth0/net1 interfaces, ClusterIPs answer, and a client namespace can reach LoadBalancer addresses. See docs/nodes.md.",
    };

    private readonly Option<string> _prefix = new("--nodes-prefix")
    {
        Description = "Start of the names of every network namespace the node simulation creates.",
        DefaultValueFactory = _ => NodeNetworkOptions.DefaultPrefix,
    };

    private readonly Option<bool> _images = new("--nodes-images")
    {
        Description = "Run a pod's containers from their images under podman, joined to the pod's network namespace, when the " +
            "image is in podman's local storage (--nodes-images=false: always the stand-ins). See docs/nodes.md.",
        DefaultValueFactory = _ => true,
    };

    /// <summary>Adds <c>--nodes</c>, <c>--nodes-prefix</c>, <c>--nodes-images</c> and <c>exec-client</c> to the sandbox command.</summary>
    public void AddTo(Command sandbox)
    {
        sandbox.Options.Add(_nodes);
        sandbox.Options.Add(_prefix);
        sandbox.Options.Add(_images);
        sandbox.Subcommands.Add(CreateExecClient());
    }

    /// <summary>Starts the node simulation when <c>--nodes</c> was given; null otherwise.</summary>
    public async Task<SandboxNodes?> StartAsync(ParseResult parse, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!parse.GetValue(_nodes))
        {
            return null;
        }
        var missing = NodeRequirements.Missing();
        if (missing.Count > 0)
        {
            throw new CliException($"--nodes needs {string.Join(" and ", missing)}");
        }
        var options = NodeNetworkOptions.Default with { Prefix = parse.GetValue(_prefix)!, RunImages = parse.GetValue(_images) };
        try
        {
            return await SandboxNodes.StartAsync(options, loggers, cancellationToken);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or CommandFailedException)
        {
            throw new CliException($"--nodes: {e.Message}");
        }
    }

    private static Command CreateExecClient()
    {
        var prefix = new Option<string>("--nodes-prefix")
        {
            Description = "The node simulation's namespace prefix.",
            DefaultValueFactory = _ => NodeNetworkOptions.DefaultPrefix,
        };
        var command = new Argument<string[]>("command") { Description = "The command and its arguments (after --).", Arity = ArgumentArity.OneOrMore };
        var exec = new Command("exec-client",
            "Run a command in the client namespace of a running 'sandbox --nodes', e.g. 'LbOperator.Sandbox.Host exec-client -- curl -s http://172.18.0.18/'.")
        {
            prefix, command,
        };
        exec.SetAction(async (parse, cancellationToken) =>
        {
            var options = NodeNetworkOptions.Default with { Prefix = parse.GetValue(prefix)! };
            if (!(await NetworkNamespace.ListAsync(cancellationToken)).Contains(options.ClientNamespace))
            {
                throw new CliException($"network namespace {options.ClientNamespace} does not exist: start the sandbox with --nodes first");
            }
            var result = await new NetworkNamespace(options.ClientNamespace)
                .ExecAsync(parse.GetValue(command)!, cancellationToken, timeout: TimeSpan.FromMinutes(5));
            await parse.InvocationConfiguration.Output.WriteAsync(result.StandardOutput);
            await parse.InvocationConfiguration.Error.WriteAsync(result.StandardError);
            return result.ExitCode;
        });
        return exec;
    }
}
