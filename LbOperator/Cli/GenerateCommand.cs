using System.CommandLine;
using LbOperator.Entities;
using LbOperator.Framework.Entities;
using LbOperator.Framework.Transpilation;
using LbOperator.Gateway;
using LbOperator.Release;

namespace LbOperator.Cli;

/// <summary>
/// <c>LbOperator generate [--output config] [--image ref] [--gateway-image ref]</c>: writes the kustomize tree (CRDs,
/// RBAC, Namespace, Deployment) transpiled from this assembly's entity types and RBAC attributes. Both images default
/// to this version's (<see cref="ReleaseImages"/>), so the tree pins what was built and tested together.
/// </summary>
internal static class GenerateCommand
{
    public static string DefaultImage => ReleaseImages.Operator;

    /// <summary>How the Deployment starts the operator; the image's entry point is LbOperator itself.</summary>
    public static IReadOnlyList<string> OperatorArgs(string gatewayImage) =>
        ["run", "--leader-elect", "--health-port", "8081", "--gateway-image", gatewayImage];

    /// <summary>
    /// The tree for a cluster running Kube-OVN, which owns <c>subnets.kubeovn.io</c>: everything but that CRD
    /// (docs/kube-ovn.md).
    /// </summary>
    public static ManifestVariant KubeOvnVariant { get; } = new("kube-ovn", [EntityMetadata.For<V1Subnet>().Group!]);

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
        var gatewayImage = new Option<string>("--gateway-image")
        {
            Description = "The gateway pods' image, passed to the operator as --gateway-image.",
            DefaultValueFactory = _ => GatewaySettings.DefaultImage,
        };
        var command = new Command("generate", "Write the CRD, RBAC and operator manifests as a kustomize tree.");
        command.Options.Add(output);
        command.Options.Add(image);
        command.Options.Add(gatewayImage);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var folder = parse.GetValue(output)!;
            var files = Generate(parse.GetValue(image)!, parse.GetValue(gatewayImage)!);
            await ManifestWriter.WriteAsync(folder, files, cancellationToken);
            await stdout.WriteLineAsync($"wrote {files.Count} files under {folder}");
            return 0;
        });
        return command;
    }

    /// <summary>The tree for LbOperator's own entities and RBAC attributes.</summary>
    public static IReadOnlyList<ManifestFile> Generate(string image, string gatewayImage)
    {
        try
        {
            // Parsed for its error message only: the reference travels as an argument, which kustomize never rewrites.
            ContainerImage.Parse(gatewayImage);
        }
        catch (FormatException e)
        {
            throw new CliException($"generate: --gateway-image: {e.Message}");
        }

        try
        {
            var options = new OperatorManifestOptions
            {
                Name = "lboperator",
                Image = image,
                Args = OperatorArgs(gatewayImage),
                HealthPort = 8081,
                Variants = [KubeOvnVariant],
            };
            return KustomizeGenerator.Generate(typeof(GenerateCommand).Assembly, options);
        }
        catch (Exception e) when (e is TranspilationException or FormatException)
        {
            throw new CliException($"generate: {e.Message}");
        }
    }
}
