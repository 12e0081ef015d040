using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using LbOperator.Sandbox.Nodes;
using LbOperator.Tests.Testing;

namespace LbOperator.Tests.Packaging;

/// <summary>
/// What <c>dotnet publish LbOperator</c> puts into the operator image: the operator and its framework, never the
/// sandbox's API server or node simulation. Publishes the build the tests run against (no rebuild) and reads the
/// type definitions of every assembly it holds.
/// </summary>
[Category("EndToEnd")]
public sealed class PublishedOperatorTests
{
    [Test]
    public async Task The_Published_Operator_Holds_No_Sandbox_Or_Node_Simulation_Type()
    {
        var configuration = new DirectoryInfo(TestContext.CurrentContext.TestDirectory).Parent!.Name;
        var output = Path.Combine(Path.GetTempPath(), $"lbop-publish-{Guid.NewGuid():N}");
        try
        {
            var publish = await CommandRunner.RunAsync(
                ["dotnet", "publish", Path.Combine(RepositoryRoot.Path, "LbOperator", "LbOperator.csproj"), "-c", configuration, "--no-build", "-o", output, "--nologo"],
                CancellationToken.None, timeout: TimeSpan.FromMinutes(3));
            publish.ExitCode.Should().Be(0, publish.StandardOutput + publish.StandardError);

            var assemblies = Directory.GetFiles(output, "*.dll").Select(Path.GetFileName).ToList();
            assemblies.Should().Contain(["LbOperator.dll", "LbOperator.Framework.dll", "KubernetesClient.dll"]);
            assemblies.Should().NotContain(a => a!.StartsWith("LbOperator.Sandbox", StringComparison.Ordinal));

            var namespaces = Directory.GetFiles(output, "LbOperator*.dll").SelectMany(NamespacesOf).Distinct().ToList();
            namespaces.Should().Contain("LbOperator.Controllers").And.Contain("LbOperator.Framework.Reconciliation");
            namespaces.Should().NotContain(n => n.StartsWith("LbOperator.Sandbox", StringComparison.Ordinal));
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    private static IEnumerable<string> NamespacesOf(string assembly)
    {
        using var stream = File.OpenRead(assembly);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        return [.. metadata.TypeDefinitions.Select(h => metadata.GetString(metadata.GetTypeDefinition(h).Namespace)).Where(n => n.Length > 0).Distinct()];
    }
}
