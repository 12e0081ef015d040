using System.CommandLine;
using System.Net;
using System.Runtime.InteropServices;
using LbOperator.Cli;
using Microsoft.Extensions.Logging;

namespace LbOperator.Sandbox.Host;

/// <summary>
/// <c>LbOperator.Sandbox.Host</c>'s root command: runs the in-memory Kubernetes API server until SIGINT/SIGTERM and
/// writes a kubeconfig for it. Services composed into the same process (the operator, unless <c>--no-operator</c>)
/// go in <see cref="SandboxOptions.AdditionalServices"/>.
/// </summary>
internal static class SandboxCommand
{
    public static RootCommand Create(TextWriter stdout, Func<IReadOnlyList<ISandboxService>>? additionalServices = null)
    {
        var port = new Option<int>("--port") { Description = "TCP port to serve the Kubernetes API on (0 picks a free one).", DefaultValueFactory = _ => 6443 };
        var kubeconfig = new Option<string>("--kubeconfig") { Description = "Where to write a kubeconfig for the sandbox.", DefaultValueFactory = _ => "./sandbox.kubeconfig" };
        var host = new Option<string>("--host") { Description = "Loopback address to listen on.", DefaultValueFactory = _ => "127.0.0.1" };
        var faults = new Option<bool>("--faults") { Description = "Serve the fault-injection endpoint /sandbox/faults (for tests)." };
        var noOperator = new Option<bool>("--no-operator") { Description = "Serve the API server alone, without the operator running in-process." };
        var gracePeriod = new Option<string>("--node-grace-period")
        {
            Description = "How long a node may miss heartbeats before it is marked NotReady (Ready=Unknown) and tainted unreachable, " +
                "as kube-controller-manager's --node-monitor-grace-period; e.g. 2s for failover experiments.",
            DefaultValueFactory = _ => "40s",
        };
        var tolerationSeconds = new Option<int>("--default-toleration-seconds")
        {
            Description = "Sandbox override: the tolerationSeconds of the not-ready/unreachable tolerations admission adds to pods " +
                "that have none (kube-apiserver's --default-unreachable-toleration-seconds, 300).",
            DefaultValueFactory = _ => 300,
        };
        var command = new RootCommand(
            "The LbOperator sandbox: an in-memory Kubernetes API server (for kubectl, the operator and tests) with LbOperator " +
            "running in-process, until interrupted.")
        {
            port, kubeconfig, host, faults, noOperator, gracePeriod, tolerationSeconds,
        };
        var nodeOptions = new SandboxNodesOptions();
        nodeOptions.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var address = ParseHost(parse.GetValue(host)!);
            var options = new SandboxOptions
            {
                Host = address,
                Port = parse.GetValue(port),
                EnableFaultEndpoint = parse.GetValue(faults),
                AdditionalServices = parse.GetValue(noOperator) ? [] : additionalServices?.Invoke() ?? [],
                Nodes = nodeOptions.ClusterNodes(parse),
                NodeMonitorGracePeriod = Durations.Parse("--node-grace-period", parse.GetValue(gracePeriod)!),
                DefaultTolerationSeconds = parse.GetValue(tolerationSeconds) is >= 0 and var seconds
                    ? seconds
                    : throw new CliException("--default-toleration-seconds must not be negative"),
            };
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });

            await using var nodes = await nodeOptions.StartAsync(parse, loggers, stop.Token);
            if (nodes is not null)
            {
                options = nodes.Apply(options);
            }

            RunningSandbox sandbox;
            try
            {
                sandbox = await SandboxServer.StartAsync(options, loggers, stop.Token);
            }
            catch (IOException e)
            {
                throw new CliException($"cannot listen on {address}:{options.Port}: {e.Message}");
            }

            await using (sandbox)
            {
                var path = Path.GetFullPath(parse.GetValue(kubeconfig)!);
                sandbox.WriteKubeconfig(path);
                await stdout.WriteLineAsync($"sandbox ready at {sandbox.BaseAddress.ToString().TrimEnd('/')} (kubeconfig: {path})");
                if (nodes is not null)
                {
                    await stdout.WriteLineAsync(nodes.Describe());
                }
                await stdout.FlushAsync(CancellationToken.None);
                try
                {
                    await Task.Delay(Timeout.Infinite, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    // SIGINT or SIGTERM: shut down cleanly.
                }
            }

            await stdout.WriteLineAsync("sandbox stopped");
            return 0;
        });
        return command;
    }

    private static IPAddress ParseHost(string text) =>
        IPAddress.TryParse(text, out var address) && IPAddress.IsLoopback(address)
            ? address
            : throw new CliException($"--host {text}: expected a loopback address such as 127.0.0.1 or ::1 (the sandbox has no authentication)");
}
