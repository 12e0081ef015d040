using k8s;
using k8s.Models;
using LbOperator.Cli;
using LbOperator.Framework.Transpilation;
using LbOperator.Gateway;
using LbOperator.Release;
using LbOperator.Tests.Testing;

namespace LbOperator.Tests.Cli;

[Category("Unit")]
public sealed class GenerateCommandTests
{
    private static string ConfigFolder => Path.Combine(RepositoryRoot.Path, "config");

    private static IReadOnlyList<ManifestFile> Fresh => GenerateCommand.Generate(GenerateCommand.DefaultImage, GatewaySettings.DefaultImage);

    [Test]
    public void Committed_Config_Is_What_Generate_Writes_Now()
    {
        var fresh = Fresh;
        foreach (var file in fresh)
        {
            var path = Path.Combine(ConfigFolder, file.RelativePath);
            File.Exists(path).Should().BeTrue($"config/{file.RelativePath} is generated; run `make generate` and commit it");
            File.ReadAllText(path).Should().Be(file.Content, $"config/{file.RelativePath} is stale; run `make generate` and commit it");
        }

        var generatedOnDisk = Directory.EnumerateFiles(ConfigFolder, "*.yaml", SearchOption.AllDirectories)
            .Where(p => File.ReadAllText(p).StartsWith(KustomizeGenerator.Header, StringComparison.Ordinal))
            .Select(p => Path.GetRelativePath(ConfigFolder, p).Replace(Path.DirectorySeparatorChar, '/'));
        generatedOnDisk.Should().BeEquivalentTo(fresh.Select(f => f.RelativePath), "config/ holds no generated file generate no longer writes");
    }

    [Test]
    public void Generates_The_Subnet_And_IpAllocation_Crds_And_Not_Multus_Network_Attachment_Definition()
    {
        Fresh.Where(f => f.RelativePath.StartsWith("crd/", StringComparison.Ordinal) && f.RelativePath != "crd/kustomization.yaml")
            .Select(f => f.RelativePath).Should().Equal("crd/lboperator.io_ipallocations.yaml", "crd/kubeovn.io_subnets.yaml");
    }

    [Test]
    public void Every_Crd_Carries_The_Operators_Label_And_The_Kube_Ovn_Tree_Leaves_Out_The_Subnet_Crd()
    {
        foreach (var file in Fresh.Where(f => f.RelativePath.StartsWith("crd/", StringComparison.Ordinal) && f.RelativePath != "crd/kustomization.yaml"))
        {
            KubernetesYaml.Deserialize<V1CustomResourceDefinition>(file.Content).Metadata.Labels
                .Should().Contain(KustomizeGenerator.NameLabel, "lboperator", $"{file.RelativePath} is uninstalled by that label");
        }

        foreach (var path in new[] { "kube-ovn/kustomization.yaml", "kube-ovn/crd/kustomization.yaml" })
        {
            var content = Fresh.Single(f => f.RelativePath == path).Content;
            content.Should().Contain("$patch: delete").And.Contain("name: subnets.kubeovn.io").And.NotContain("ipallocations");
        }
    }

    [Test]
    public void Operator_Role_Names_Every_Verb_And_Resource_And_Never_Secrets()
    {
        var role = KubernetesYaml.Deserialize<V1ClusterRole>(Fresh.Single(f => f.RelativePath == "rbac/role.yaml").Content);
        role.Rules.Should().NotBeEmpty();
        foreach (var rule in role.Rules)
        {
            rule.Verbs.Should().NotContain("*");
            (rule.Resources ?? []).Should().NotContain(r => r.Contains('*', StringComparison.Ordinal) || r.StartsWith("secrets", StringComparison.Ordinal));
            (rule.ApiGroups ?? []).Should().NotContain("*");
        }

        role.Rules.Should().Contain(r => r.ApiGroups.Contains("") && r.Resources.Contains("events"));
        role.Rules.Should().NotContain(r => r.ApiGroups.Contains("events.k8s.io"), "the operator writes core/v1 Events only");
        // Owner references with blockOwnerDeletion on the gateways need this where owner-reference permissions are enforced.
        role.Rules.Should().Contain(r => r.ApiGroups.Contains("") && r.Resources.Contains("services/finalizers") && r.Verbs.SequenceEqual(new[] { "update" }));
    }

    [Test]
    public void Deployment_Starts_The_Operator_With_Leader_Election_Health_Port_And_This_Versions_Gateway_Image()
    {
        var deployment = KubernetesYaml.Deserialize<V1Deployment>(Fresh.Single(f => f.RelativePath == "manager/manager.yaml").Content);
        deployment.Spec.Template.Spec.Containers[0].Args.Should().Equal(
            "run", "--leader-elect", "--health-port", "8081", "--gateway-image", $"ghcr.io/lboperator/lboperator-gateway:{ReleaseImages.Version}");
        Fresh.Single(f => f.RelativePath == "manager/kustomization.yaml").Content
            .Should().Contain("newName: ghcr.io/lboperator/lboperator\n").And.Contain($"newTag: {ReleaseImages.Version}\n");
    }

    [Test]
    public void No_Generated_File_Names_A_Latest_Tag()
    {
        Fresh.Should().NotContain(f => f.Content.Contains(":latest", StringComparison.Ordinal) || f.Content.Contains("newTag: latest", StringComparison.Ordinal));
    }

    [Test]
    public async Task Generate_Passes_The_Gateway_Image_To_The_Operator()
    {
        var output = Directory.CreateTempSubdirectory("lbop-generate-").FullName;
        try
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var code = await LbOperatorCli.InvokeAsync(
                ["generate", "--output", output, "--image", "example.com/op:v9", "--gateway-image", "example.com/gw:v9"], stdout, stderr, CancellationToken.None);
            code.Should().Be(0, stderr.ToString());
            var deployment = KubernetesYaml.Deserialize<V1Deployment>(File.ReadAllText(Path.Combine(output, "manager", "manager.yaml")));
            deployment.Spec.Template.Spec.Containers[0].Args.Should().EndWith(["--gateway-image", "example.com/gw:v9"]);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Test]
    public async Task Generate_Writes_The_Tree_Into_The_Output_Folder()
    {
        var output = Directory.CreateTempSubdirectory("lbop-generate-").FullName;
        try
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var code = await LbOperatorCli.InvokeAsync(["generate", "--output", output, "--image", "example.com/op:v9"], stdout, stderr, CancellationToken.None);
            code.Should().Be(0, stderr.ToString());
            File.ReadAllText(Path.Combine(output, "manager", "kustomization.yaml")).Should().Contain("newTag: v9");
            File.ReadAllText(Path.Combine(output, "crd", "kubeovn.io_subnets.yaml"))
                .Should().Be(File.ReadAllText(Path.Combine(ConfigFolder, "crd", "kubeovn.io_subnets.yaml")));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Test]
    public async Task A_Bad_Image_Is_A_One_Line_Error()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var output = Path.Combine(Path.GetTempPath(), $"lbop-generate-{Guid.NewGuid():N}");
        var code = await LbOperatorCli.InvokeAsync(["generate", "--output", output, "--image", "bad image"], stdout, stderr, CancellationToken.None);
        code.Should().NotBe(0);
        stderr.ToString().Trim().Should().Be("error: generate: image \"bad image\" is not a valid reference; expected e.g. registry.example/name:tag");
        Directory.Exists(output).Should().BeFalse();
    }
}
