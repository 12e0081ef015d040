using System.CommandLine;
using LbOperator.Cli;
using LbOperator.Sandbox.Nodes;

namespace LbOperator.Sandbox.Host;

/// <summary>
/// <c>hello-server</c> (hidden): the responder the sandbox's simulated nodes run in a backend pod's
/// network namespace instead of the pod's container image: the hello-world page over TCP, or a UDP echo naming the pod.
/// </summary>
internal static class HelloServerCommand
{
    public static Command Create(TextWriter stdout)
    {
        var port = new Option<int>("--port") { Description = "Port to listen on.", DefaultValueFactory = _ => 80 };
        var protocol = new Option<string>("--protocol") { Description = "tcp (the hello-world page over HTTP) or udp (echo each datagram, naming the pod).", DefaultValueFactory = _ => "tcp" };
        var podName = new Option<string>("--pod-name") { Description = "Name shown on the page.", Required = true };
        var command = new Command("hello-server", "Serve the hello-world page of a simulated backend pod.")
        {
            Hidden = true,
        };
        command.Options.Add(port);
        command.Options.Add(protocol);
        command.Options.Add(podName);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var value = parse.GetValue(port);
            if (value is < 1 or > 65535)
            {
                throw new CliException($"--port {value} is not a port (1-65535)");
            }
            var name = parse.GetValue(podName)!;
            switch (parse.GetValue(protocol))
            {
                case "tcp":
                    await new HelloServer(name, value).RunAsync(stdout, cancellationToken);
                    break;
                case "udp":
                    await new HelloUdpEcho(name, value).RunAsync(stdout, cancellationToken);
                    break;
                case var other:
                    throw new CliException($"--protocol {other}: expected tcp or udp");
            }
            return 0;
        });
        return command;
    }
}
