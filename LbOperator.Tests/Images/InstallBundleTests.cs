using k8s;
using k8s.Models;
using LbOperator.Cli;
using LbOperator.Release;
using LbOperator.Sandbox;
using LbOperator.Tests.Sandbox.Kubectl;
using LbOperator.Tests.Testing;
using NodeCommands = LbOperator.Sandbox.Nodes.CommandRunner;

namespace LbOperator.Tests.Images;

/// <summary>
/// The release bundle <c>make build-installer</c> writes (hack/build-installer.sh): one file with every object,
/// both images pinned, that installs on the sandbox API server with the operator Deployment becoming available.
/// </summary>
[Category("Kubectl")]
public sealed class InstallBundleTests
{
    private static readonly string LbOperatorCommand = $"dotnet {typeof(GenerateCommand).Assembly.Location}";

    [Test]
    public async Task Bundle_With_The_Images_Asked_For_Installs_And_The_Operator_Deployment_Becomes_Available()
    {
        KubectlRunner.RequireKubectl();
        await InTempFolderAsync(async folder =>
        {
        var bundle = Path.Combine(folder, "dist", "install.yaml");
        await BuildAsync(bundle, new Dictionary<string, string>
        {
            ["IMG"] = "registry.example/team/lboperator:1.2.3",
            ["GATEWAY_IMG"] = "registry.example/team/lboperator-gateway:1.2.3",
        });
        var text = await File.ReadAllTextAsync(bundle);
        var objects = KubernetesYaml.LoadAllFromString(text);
        objects.Select(o => ((IKubernetesObject)o).Kind).Should().Equal(
            "Namespace", "CustomResourceDefinition", "CustomResourceDefinition", "ServiceAccount", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "Deployment");
        var manager = objects.OfType<V1Deployment>().Single().Spec.Template.Spec.Containers.Single();
        manager.Image.Should().Be("registry.example/team/lboperator:1.2.3");
        manager.Args.Should().ContainInConsecutiveOrder("--gateway-image", "registry.example/team/lboperator-gateway:1.2.3");
        text.Should().StartWith($"# LbOperator {ReleaseImages.Version}: ").And.NotContain("latest");

        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions());
        var kubeconfig = Path.Combine(folder, "kubeconfig");
        sandbox.WriteKubeconfig(kubeconfig);
        var kubectl = new KubectlRunner(kubeconfig, Path.Combine(folder, "cache"));
        var applied = await kubectl.RunOkAsync("apply", "-f", bundle);
        applied.Should().Contain("deployment.apps/lboperator-controller-manager created");
        await kubectl.RunOkAsync("-n", "lboperator-system", "wait", "deployment/lboperator-controller-manager", "--for=condition=Available", "--timeout=60s");
        (await kubectl.RunOkAsync("get", "crd", "subnets.kubeovn.io", "-o", "name")).Trim().Should().Be("customresourcedefinition.apiextensions.k8s.io/subnets.kubeovn.io");
        });
    }

    [Test]
    public async Task Default_Bundle_Pins_This_Versions_Images_And_Matches_The_Committed_Tree()
    {
        KubectlRunner.RequireKubectl();
        await InTempFolderAsync(async folder =>
        {
        var bundle = Path.Combine(folder, "install.yaml");
        await BuildAsync(bundle, new Dictionary<string, string>());
        var committed = await new KubectlRunner("/dev/null", Path.Combine(folder, "cache"))
            .RunOkAsync("kustomize", Path.Combine(RepositoryRoot.Path, "config", "default"));

        var text = await File.ReadAllTextAsync(bundle);
        text.Should().Contain($"# Operator image {ReleaseImages.Operator}, gateway image {ReleaseImages.Gateway}.");
        text[text.IndexOf("apiVersion", StringComparison.Ordinal)..].TrimEnd().Should().Be(committed.TrimEnd(), "with the default images the bundle is config/default rendered");
        });
    }

    [Test]
    public async Task The_Kube_Ovn_Bundle_Is_The_Same_Without_The_Subnet_Crd()
    {
        KubectlRunner.RequireKubectl();
        await InTempFolderAsync(async folder =>
        {
        var standalone = Path.Combine(folder, "install.yaml");
        var besideKubeOvn = Path.Combine(folder, "install-kube-ovn.yaml");
        await BuildAsync(standalone, new Dictionary<string, string>());
        await BuildAsync(besideKubeOvn, new Dictionary<string, string> { ["TREE"] = "kube-ovn" });

        var text = await File.ReadAllTextAsync(besideKubeOvn);
        text.Should().StartWith($"# LbOperator {ReleaseImages.Version}: the IpAllocation CRD (Kube-OVN owns subnets.kubeovn.io), ");
        var objects = KubernetesYaml.LoadAllFromString(text).Cast<IKubernetesObject<V1ObjectMeta>>().ToList();
        var all = KubernetesYaml.LoadAllFromString(await File.ReadAllTextAsync(standalone)).Cast<IKubernetesObject<V1ObjectMeta>>().ToList();
        objects.Select(o => $"{o.Kind}/{o.Metadata.Name}").Should().Equal(
            all.Select(o => $"{o.Kind}/{o.Metadata.Name}").Where(n => n != "CustomResourceDefinition/subnets.kubeovn.io"));
        objects.OfType<V1CustomResourceDefinition>().Should().ContainSingle()
            .Which.Metadata.Labels.Should().Contain("app.kubernetes.io/name", "lboperator");
        });
    }

    private static async Task InTempFolderAsync(Func<string, Task> test)
    {
        var folder = Directory.CreateTempSubdirectory("lbop-bundle-").FullName;
        try
        {
            await test(folder);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task BuildAsync(string output, Dictionary<string, string> environment)
    {
        environment["LBOP"] = LbOperatorCommand;
        environment["KUBECTL"] = KubectlRunner.RequireKubectl();
        var result = await NodeCommands.RunAsync([Path.Combine(RepositoryRoot.Path, "hack", "build-installer.sh"), output], CancellationToken.None,
            timeout: TimeSpan.FromSeconds(60), environment: environment);
        result.ExitCode.Should().Be(0, result.StandardError);
    }
}
