using System.CommandLine;
using System.Reflection;

namespace LbOperator.Cli;

/// <summary><c>LbOperator version</c>: prints the build's version.</summary>
internal static class VersionCommand
{
    public static Command Create(TextWriter stdout)
    {
        var command = new Command("version", "Print LbOperator's version.");
        command.SetAction(_ =>
        {
            var version = typeof(VersionCommand).Assembly
                .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            stdout.WriteLine($"LbOperator {version}");
            return 0;
        });
        return command;
    }
}
