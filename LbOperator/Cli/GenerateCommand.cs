using System.CommandLine;
using LbOperator.Framework.Transpilation;

namespace LbOperator.Cli;

/// <summary>
/// <c>LbOperator generate [--output config] [--image ref]</c>: writes the kustomize tree (CRDs, RBAC, Namespace,
/// Deployment) transpiled from this assembly's entity types and RBAC attributes.
/// </summary>
internal static class GenerateCommand
{
    public const string DefaultImage = "ghcr.io/lboperator/lboperator:latest";

    /// <summary>How the Deployment starts the operator; the image's entry point is LbOperator itself.</summary>
    public static IReadOnlyList<string> OperatorArgs { get; } = ["run", "--leader-elect", "--health-port", "8081"];

    public static Command Create(TextWriter stdout)
    {
        var output = new Option<string>("--output", "-o")
        {
            Description = "Folder to write the kustomize tree to (created if missing).",
            DefaultValueFactory = _ => "config",
        };
        var image = new Option<string>("--image")
        {
            Description = "The operator's container image, set in config/manager/kustomization.yaml.",
            DefaultValueFactory = _ => DefaultImage,
        };
        var command = new Command("generate", "Write the CRD, RBAC and operator manifests as a kustomize tree.");
        command.Options.Add(output);
        command.Options.Add(image);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var folder = parse.GetValue(output)!;
            var files = Generate(parse.GetValue(image)!);
            await ManifestWriter.WriteAsync(folder, files, cancellationToken);
            await stdout.WriteLineAsync($"wrote {files.Count} files under {folder}");
            return 0;
        });
        return command;
    }

    /// <summary>The tree for LbOperator's own entities and RBAC attributes.</summary>
    public static IReadOnlyList<ManifestFile> Generate(string image)
    {
        var options = new OperatorManifestOptions { Name = "lboperator", Image = image, Args = OperatorArgs, HealthPort = 8081 };
        try
        {
            return KustomizeGenerator.Generate(typeof(GenerateCommand).Assembly, options);
        }
        catch (Exception e) when (e is TranspilationException or FormatException)
        {
            throw new CliException($"generate: {e.Message}");
        }
    }
}
