using System.CommandLine;
using LbOperator.Cli;
using LbOperator.Sandbox.Nodes;
using Microsoft.Extensions.Logging;

namespace LbOperator.Sandbox.Host;

/// <summary>
/// The node-simulation parts of the sandbox: the <c>--nodes</c> options, the <c>exec-client</c> subcommand that
/// runs a command in the client namespace, and <c>node-down</c>/<c>node-up</c>, which crash and restore a node of a
/// running simulation through its control socket (see docs/nodes.md).
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

    private readonly Option<int> _count = new("--node-count")
    {
        Description = "How many nodes the cluster has: one is 'sandbox-node', several are 'sandbox-node-1' ... (at most 8). " +
            "With --nodes each is simulated in its own network namespace on one physical network.",
        DefaultValueFactory = _ => 1,
    };

    /// <summary>Adds <c>--nodes</c>, <c>--nodes-prefix</c>, <c>--nodes-images</c>, <c>--node-count</c>, <c>exec-client</c>, <c>node-down</c> and <c>node-up</c>.</summary>
    public void AddTo(Command sandbox)
    {
        sandbox.Options.Add(_nodes);
        sandbox.Options.Add(_prefix);
        sandbox.Options.Add(_images);
        sandbox.Options.Add(_count);
        sandbox.Subcommands.Add(CreateExecClient());
        sandbox.Subcommands.Add(CreateNodeControl("node-down",
            "Crash a node of a running 'sandbox --nodes': its pods' processes are killed, its uplink goes down and its heartbeat stops " +
            "(NotReady after the grace period, evictions per the pods' tolerations follow)."));
        sandbox.Subcommands.Add(CreateNodeControl("node-up",
            "Bring a crashed node back: uplink up, heartbeat resumed, and its kubelet restarts the pods still bound to it."));
    }

    /// <summary>The cluster's nodes as <c>--node-count</c> asks, for the API server without the simulation.</summary>
    public IReadOnlyList<SandboxNode> ClusterNodes(ParseResult parse)
    {
        try
        {
            return SandboxNode.Cluster(parse.GetValue(_count));
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new CliException($"--node-count {parse.GetValue(_count)}: expected 1 to 8");
        }
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
        var options = NodeNetworkOptions.Default with { Prefix = parse.GetValue(_prefix)!, RunImages = parse.GetValue(_images), NodeCount = parse.GetValue(_count) };
        try
        {
            return await SandboxNodes.StartAsync(options, loggers, cancellationToken);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or CommandFailedException)
        {
            throw new CliException($"--nodes: {e.Message}");
        }
    }

    private static Command CreateNodeControl(string verb, string description)
    {
        var prefix = new Option<string>("--nodes-prefix")
        {
            Description = "The node simulation's namespace prefix.",
            DefaultValueFactory = _ => NodeNetworkOptions.DefaultPrefix,
        };
        var node = new Argument<string>("node") { Description = "The node's name, e.g. sandbox-node-1." };
        var command = new Command(verb, description) { prefix, node };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = NodeNetworkOptions.Default with { Prefix = parse.GetValue(prefix)! };
            if (!File.Exists(options.ControlSocket))
            {
                throw new CliException($"no node simulation with prefix '{options.Prefix}' is running ({options.ControlSocket} does not exist): start the sandbox with --nodes first");
            }
            string answer;
            try
            {
                answer = await NodeControlClient.SendAsync(options.ControlSocket, verb, parse.GetValue(node)!, cancellationToken);
            }
            catch (System.Net.Sockets.SocketException e)
            {
                throw new CliException($"cannot reach the node simulation at {options.ControlSocket}: {e.Message}");
            }
            if (!answer.StartsWith("ok ", StringComparison.Ordinal))
            {
                throw new CliException($"{verb}: {answer.Replace("error ", "", StringComparison.Ordinal)}");
            }
            await parse.InvocationConfiguration.Output.WriteLineAsync(answer[3..]);
            return 0;
        });
        return command;
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
