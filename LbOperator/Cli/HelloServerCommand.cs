using System.CommandLine;
using LbOperator.Sandbox.Nodes;

namespace LbOperator.Cli;

/// <summary>
/// <c>LbOperator hello-server</c> (hidden): the HTTP responder the sandbox's simulated nodes run in a backend pod's
/// network namespace instead of the pod's container image.
/// </summary>
internal static class HelloServerCommand
{
    public static Command Create(TextWriter stdout)
    {
        var port = new Option<int>("--port") { Description = "TCP port to listen on.", DefaultValueFactory = _ => 80 };
        var podName = new Option<string>("--pod-name") { Description = "Name shown on the page.", Required = true };
        var command = new Command("hello-server", "Serve the hello-world page of a simulated backend pod.")
        {
            Hidden = true,
        };
        command.Options.Add(port);
        command.Options.Add(podName);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var value = parse.GetValue(port);
            if (value is < 1 or > 65535)
            {
                throw new CliException($"--port {value} is not a TCP port (1-65535)");
            }
            await new HelloServer(parse.GetValue(podName)!, value).RunAsync(stdout, cancellationToken);
            return 0;
        });
        return command;
    }
}
