using LbOperator.Cli;
using LbOperator.Gateway;

namespace LbOperator.Tests.Gateway;

/// <summary>
/// Each scenario's manifests go through <c>render</c>'s path (Service rules, IPAM, builder); the Deployment and the
/// script must match the golden files, and the script must parse with <c>sh -n</c>.
/// </summary>
[Category("Unit")]
public sealed class GatewayGoldenTests
{
    public static IEnumerable<string> Scenarios => GoldenFiles.Scenarios();

    [TestCaseSource(nameof(Scenarios))]
    public void Deployment_Matches_The_Golden_File(string scenario) =>
        GoldenFiles.Verify(scenario, "deployment.yaml", Render(scenario, scriptOnly: false));

    [TestCaseSource(nameof(Scenarios))]
    public void Script_Matches_The_Golden_File_And_Parses(string scenario)
    {
        var script = Render(scenario, scriptOnly: true);
        GoldenFiles.Verify(scenario, "script.sh", script);
        ShellSyntax.Check(script).Should().BeEmpty();
    }

    [Test]
    public void Every_Scenario_Listed_In_The_Task_Has_A_Golden_Directory() =>
        Scenarios.Should().Contain(["seed", "dynamic", "dual-stack", "multi-protocol", "port-not-target-port", "named-target-port", "long-names", "source-ranges"]);

    internal static string Render(string scenario, bool scriptOnly)
    {
        var manifests = ManifestReader.Default.ReadFiles([GoldenFiles.Input(scenario)]);
        return RenderCommand.Render(manifests, new GatewaySettings(), scriptOnly).Single();
    }
}
