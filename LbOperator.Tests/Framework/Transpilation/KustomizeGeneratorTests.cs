using k8s;
using k8s.Models;
using LbOperator.Framework.Rbac;
using LbOperator.Framework.Transpilation;

namespace LbOperator.Tests.Framework.Transpilation;

[Category("Unit")]
public sealed class KustomizeGeneratorTests
{
    private static readonly OperatorManifestOptions Options = new()
    {
        Name = "widgetop",
        Image = "registry.local:5000/widgets/op:v1.2",
        Args = ["run", "--leader-elect"],
        HealthPort = 9090,
    };

    [EntityRbac(typeof(V1Widget), Verbs = RbacVerb.Get | RbacVerb.Watch)]
    private sealed class WidgetWatcher;

    private static IReadOnlyList<ManifestFile> Generate(OperatorManifestOptions? options = null) =>
        KustomizeGenerator.Generate(
            CrdTranspiler.Transpile([typeof(V1Widget), typeof(V1Gadget)]),
            RbacTranspiler.Transpile(RbacTranspiler.FindRbacAttributes([typeof(WidgetWatcher)])),
            options ?? Options);

    private static string File(IReadOnlyList<ManifestFile> files, string path) =>
        files.Should().ContainSingle(f => f.RelativePath == path).Subject.Content;

    [Test]
    public void Writes_The_Kubebuilder_Layout_With_One_File_Per_Crd()
    {
        Generate().Select(f => f.RelativePath).Should().BeEquivalentTo(
            "crd/testing.lboperator.io_gadgets.yaml",
            "crd/testing.lboperator.io_widgets.yaml",
            "crd/kustomization.yaml",
            "rbac/service_account.yaml",
            "rbac/role.yaml",
            "rbac/role_binding.yaml",
            "rbac/leader_election_role.yaml",
            "rbac/leader_election_role_binding.yaml",
            "rbac/kustomization.yaml",
            "manager/namespace.yaml",
            "manager/manager.yaml",
            "manager/kustomization.yaml",
            "default/kustomization.yaml",
            "kustomization.yaml",
            "prometheus/metrics_service.yaml",
            "prometheus/monitor.yaml",
            "prometheus/kustomization.yaml");
    }

    [Test]
    public void Same_Input_Gives_The_Same_Bytes()
    {
        Generate().Should().Equal(Generate());
    }

    [Test]
    public void Every_File_Carries_The_Generated_Header_And_Ends_With_A_Newline()
    {
        foreach (var file in Generate())
        {
            file.Content.Should().StartWith(KustomizeGenerator.Header, file.RelativePath);
            file.Content.Should().EndWith("\n", file.RelativePath);
        }
    }

    [Test]
    public void Crd_Kustomization_Lists_Every_Crd_File()
    {
        var kustomization = File(Generate(), "crd/kustomization.yaml");
        kustomization.Should().Contain("- testing.lboperator.io_gadgets.yaml").And.Contain("- testing.lboperator.io_widgets.yaml");
        var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(File(Generate(), "crd/testing.lboperator.io_widgets.yaml"));
        crd.Metadata.Name.Should().Be("widgets.testing.lboperator.io");
    }

    [Test]
    public void Default_Kustomization_Sets_Namespace_And_Name_Prefix_Over_The_Three_Parts()
    {
        var text = File(Generate(), "default/kustomization.yaml");
        text.Should().Contain("namespace: widgetop-system")
            .And.Contain("namePrefix: widgetop-")
            .And.Contain("- ../crd").And.Contain("- ../rbac").And.Contain("- ../manager");
        File(Generate(), "kustomization.yaml").Should().Contain("- default");
    }

    [Test]
    public void Image_Is_Set_Through_The_Manager_Kustomization()
    {
        var text = File(Generate(), "manager/kustomization.yaml");
        text.Should().Contain("name: controller").And.Contain("newName: registry.local:5000/widgets/op").And.Contain("newTag: v1.2");
        var digest = File(Generate(Options with { Image = "example.com/op@sha256:abc" }), "manager/kustomization.yaml");
        digest.Should().Contain("newName: example.com/op").And.Contain("digest: sha256:abc").And.NotContain("newTag");
    }

    [Test]
    public void Deployment_Runs_The_Operator_Non_Root_Read_Only_With_Probes_And_Resources()
    {
        var deployment = KubernetesYaml.Deserialize<V1Deployment>(File(Generate(), "manager/manager.yaml"));
        deployment.Metadata.Name.Should().Be("controller-manager");
        var pod = deployment.Spec.Template.Spec;
        pod.ServiceAccountName.Should().Be("controller-manager");
        pod.SecurityContext.RunAsNonRoot.Should().BeTrue();
        pod.SecurityContext.SeccompProfile.Type.Should().Be("RuntimeDefault");
        var container = pod.Containers.Should().ContainSingle().Subject;
        container.Image.Should().Be("controller");
        container.Args.Should().Equal("run", "--leader-elect");
        container.LivenessProbe.HttpGet.Path.Should().Be("/healthz");
        container.LivenessProbe.HttpGet.Port.Value.Should().Be("9090");
        container.ReadinessProbe.HttpGet.Path.Should().Be("/readyz");
        container.Env.Should().ContainSingle(e => e.Name == "POD_NAMESPACE").Which.ValueFrom.FieldRef.FieldPath.Should().Be("metadata.namespace");
        container.Resources.Requests.Keys.Should().BeEquivalentTo("cpu", "memory");
        container.Resources.Limits.Keys.Should().BeEquivalentTo("cpu", "memory");
        var security = container.SecurityContext;
        security.RunAsNonRoot.Should().BeTrue();
        security.RunAsUser.Should().BeGreaterThan(0);
        security.ReadOnlyRootFilesystem.Should().BeTrue();
        security.AllowPrivilegeEscalation.Should().BeFalse();
        security.Capabilities.Drop.Should().Equal("ALL");
        container.VolumeMounts.Should().ContainSingle(m => m.MountPath == "/tmp");
        deployment.Spec.Selector.MatchLabels.Should().BeEquivalentTo(deployment.Spec.Template.Metadata.Labels);
    }

    [Test]
    public void Rbac_Binds_The_Cluster_Role_And_The_Leader_Election_Role_To_The_Service_Account()
    {
        var files = Generate();
        var role = KubernetesYaml.Deserialize<V1ClusterRole>(File(files, "rbac/role.yaml"));
        role.Rules.Should().Contain(r => r.Resources.Contains("widgets") && r.Verbs.SequenceEqual(new[] { "get", "watch" }));
        var binding = KubernetesYaml.Deserialize<V1ClusterRoleBinding>(File(files, "rbac/role_binding.yaml"));
        binding.RoleRef.Name.Should().Be(role.Metadata.Name);
        binding.Subjects.Should().ContainSingle().Which.Name.Should().Be("controller-manager");
        var leaderRole = KubernetesYaml.Deserialize<V1Role>(File(files, "rbac/leader_election_role.yaml"));
        leaderRole.Rules.Should().ContainSingle().Which.Resources.Should().Equal("leases");
        var leaderBinding = KubernetesYaml.Deserialize<V1RoleBinding>(File(files, "rbac/leader_election_role_binding.yaml"));
        leaderBinding.RoleRef.Name.Should().Be(leaderRole.Metadata.Name);
        leaderBinding.RoleRef.Kind.Should().Be("Role");
    }

    [TestCase("ghcr.io/lboperator/lboperator:latest", "ghcr.io/lboperator/lboperator", "latest", null)]
    [TestCase("localhost:5000/op", "localhost:5000/op", null, null)]
    [TestCase("localhost:5000/op:v2", "localhost:5000/op", "v2", null)]
    [TestCase("op@sha256:0123", "op", null, "sha256:0123")]
    public void Image_References_Split_Into_Name_Tag_And_Digest(string reference, string name, string? tag, string? digest)
    {
        var image = ContainerImage.Parse(reference);
        image.Should().Be(new ContainerImage(name, tag, digest));
        image.ToString().Should().Be(reference);
    }

    [TestCase("")]
    [TestCase("op:")]
    [TestCase("has space:1")]
    [TestCase("@sha256:1")]
    public void Bad_Image_References_Are_Refused(string reference)
    {
        FluentActions.Invoking(() => ContainerImage.Parse(reference)).Should().Throw<FormatException>().WithMessage($"*\"{reference}\"*");
    }
}
