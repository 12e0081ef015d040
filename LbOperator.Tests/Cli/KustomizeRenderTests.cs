using k8s;
using k8s.Models;
using LbOperator.Release;
using LbOperator.Tests.Sandbox.Kubectl;
using LbOperator.Tests.Testing;

namespace LbOperator.Tests.Cli;

/// <summary>The committed kustomize tree, rendered by the real <c>kubectl kustomize</c>.</summary>
[Category("Kubectl")]
public sealed class KustomizeRenderTests
{
    // kustomize needs no cluster: an empty kubeconfig keeps kubectl away from any real one.
    private static KubectlRunner OfflineKubectl => new("/dev/null", Path.Combine(Path.GetTempPath(), "lbop-kubectl-cache"));

    [Test]
    public async Task Kubectl_Kustomize_Renders_The_Committed_Tree()
    {
        foreach (var folder in new[] { "config", "config/default" })
        {
            var yaml = await OfflineKubectl.RunOkAsync("kustomize", Path.Combine(RepositoryRoot.Path, folder));
            var objects = KubernetesYaml.LoadAllFromString(yaml);
            objects.Select(o => ((IKubernetesObject)o).Kind).Should().BeEquivalentTo(
                "Namespace", "CustomResourceDefinition", "CustomResourceDefinition", "ServiceAccount", "Role", "ClusterRole", "RoleBinding",
                "ClusterRoleBinding", "Deployment");
            var deployment = objects.OfType<V1Deployment>().Single();
            deployment.Metadata.Name.Should().Be("lboperator-controller-manager");
            deployment.Metadata.NamespaceProperty.Should().Be("lboperator-system");
            deployment.Spec.Template.Spec.ServiceAccountName.Should().Be("lboperator-controller-manager");
            deployment.Spec.Template.Spec.Containers[0].Image.Should().Be(ReleaseImages.Operator);
            objects.OfType<V1Namespace>().Single().Metadata.Name.Should().Be("lboperator-system");
            objects.OfType<V1ClusterRoleBinding>().Single().Subjects.Single().NamespaceProperty.Should().Be("lboperator-system");
            objects.OfType<V1RoleBinding>().Single().RoleRef.Name.Should().Be("lboperator-leader-election-role");
        }
    }

    [Test]
    public async Task Kubectl_Kustomize_Renders_The_Crds_Alone_For_Install()
    {
        var yaml = await OfflineKubectl.RunOkAsync("kustomize", Path.Combine(RepositoryRoot.Path, "config", "crd"));
        KubernetesYaml.LoadAllFromString(yaml).Should().AllBeOfType<V1CustomResourceDefinition>()
            .Which.Select(c => c.Metadata.Name).Should().BeEquivalentTo("subnets.kubeovn.io", "ipallocations.lboperator.io");
    }
}
