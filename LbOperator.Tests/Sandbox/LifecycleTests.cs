using System.Net;
using k8s;
using k8s.Models;

namespace LbOperator.Tests.Sandbox;

[Category("Sandbox")]
public sealed class LifecycleTests : SandboxTestBase
{
    [Test]
    public async Task Finalizers_Hold_A_Deleted_Object_Until_Removed()
    {
        var cm = ConfigMap("held");
        cm.Metadata.Finalizers = ["example.com/hold"];
        await Client.CoreV1.CreateNamespacedConfigMapAsync(cm, Ns);
        await Client.CoreV1.DeleteNamespacedConfigMapAsync("held", Ns);

        var deleting = await Client.CoreV1.ReadNamespacedConfigMapAsync("held", Ns);
        deleting.Metadata.DeletionTimestamp.Should().NotBeNull();
        deleting.Metadata.Finalizers.Should().Equal("example.com/hold");

        deleting.Metadata.Finalizers = ["example.com/hold", "example.com/new"];
        var e = await Fails(() => Client.CoreV1.ReplaceNamespacedConfigMapAsync(deleting, "held", Ns));
        CrudTests.Status(e).Message.Should().Contain("no new finalizers can be added if the object is being deleted");

        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"metadata\":{\"finalizers\":null}}", V1Patch.PatchType.MergePatch), "held", Ns);
        (await Fails(() => Client.CoreV1.ReadNamespacedConfigMapAsync("held", Ns))).Response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Generation_Counts_Spec_Changes_Only()
    {
        var deployment = await Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("gen", replicas: 0), Ns);
        deployment.Metadata.Generation.Should().Be(1);
        var labelled = await Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("{\"metadata\":{\"labels\":{\"x\":\"y\"}}}", V1Patch.PatchType.MergePatch), "gen", Ns);
        labelled.Metadata.Generation.Should().Be(1);
        var scaled = await Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("{\"spec\":{\"replicas\":2}}", V1Patch.PatchType.MergePatch), "gen", Ns);
        scaled.Metadata.Generation.Should().Be(2);
    }

    [Test]
    public async Task Garbage_Collector_Deletes_Dependents_Of_A_Deleted_Owner()
    {
        var owner = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("owner"), Ns);
        var dependent = ConfigMap("dependent");
        dependent.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = owner.Metadata.Uid }];
        await Client.CoreV1.CreateNamespacedConfigMapAsync(dependent, Ns);
        await Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", Ns);
        await Eventually(() => Client.CoreV1.ListNamespacedConfigMapAsync(Ns), l => l.Items.Count == 0, "the dependent to be collected");
    }

    [Test]
    public async Task Orphan_Propagation_Keeps_Dependents_Without_The_Reference()
    {
        var owner = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("owner"), Ns);
        var dependent = ConfigMap("dependent");
        dependent.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = owner.Metadata.Uid }];
        await Client.CoreV1.CreateNamespacedConfigMapAsync(dependent, Ns);
        await Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", Ns, propagationPolicy: "Orphan");
        await Eventually(() => Client.CoreV1.ListNamespacedConfigMapAsync(Ns), l => l.Items.Count == 1, "the owner to go");
        var left = await Client.CoreV1.ReadNamespacedConfigMapAsync("dependent", Ns);
        left.Metadata.OwnerReferences.Should().BeNullOrEmpty();
    }

    [Test]
    public async Task Foreground_Propagation_Deletes_Blocking_Dependents_First()
    {
        var owner = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("owner"), Ns);
        var dependent = ConfigMap("dependent");
        dependent.Metadata.Finalizers = ["example.com/slow"];
        dependent.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = owner.Metadata.Uid, BlockOwnerDeletion = true }];
        await Client.CoreV1.CreateNamespacedConfigMapAsync(dependent, Ns);
        await Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", Ns, propagationPolicy: "Foreground");

        var waiting = await Eventually(() => Client.CoreV1.ReadNamespacedConfigMapAsync("dependent", Ns), d => d.Metadata.DeletionTimestamp is not null, "the dependent to be deleted");
        var held = await Client.CoreV1.ReadNamespacedConfigMapAsync("owner", Ns);
        held.Metadata.Finalizers.Should().Contain("foregroundDeletion");

        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"metadata\":{\"finalizers\":null}}", V1Patch.PatchType.MergePatch), waiting.Metadata.Name, Ns);
        await Eventually(() => Client.CoreV1.ListNamespacedConfigMapAsync(Ns), l => l.Items.Count == 0, "the owner to go after its dependent");
    }

    [Test]
    public async Task Delete_With_A_Uid_Precondition_That_Does_Not_Match_Is_Conflict()
    {
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), Ns);
        var e = await Fails(() => Client.CoreV1.DeleteNamespacedConfigMapAsync("a", Ns, new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = "other" } }));
        e.Response.StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Test]
    public async Task Deleting_A_Namespace_Empties_It_Then_Removes_It()
    {
        var ns = "gone-" + Guid.NewGuid().ToString("N")[..6];
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), ns);
        var sa = await Eventually(() => Client.CoreV1.ListNamespacedServiceAccountAsync(ns), l => l.Items.Count == 1, "the default service account");
        sa.Items[0].Metadata.Name.Should().Be("default");

        await Client.CoreV1.DeleteNamespaceAsync(ns);
        await Eventually(async () => (await Client.CoreV1.ListNamespaceAsync()).Items.Any(n => n.Metadata.Name == ns), present => !present, "the namespace to go");
        (await Client.CoreV1.ListNamespacedConfigMapAsync(ns)).Items.Should().BeEmpty();
        var e = await Fails(() => Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("late"), ns));
        e.Response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task System_Namespaces_Exist_And_Cannot_Be_Deleted()
    {
        var names = (await Client.CoreV1.ListNamespaceAsync()).Items.Select(n => n.Metadata.Name);
        names.Should().Contain(["default", "kube-system", "kube-public", "kube-node-lease"]);
        var e = await Fails(() => Client.CoreV1.DeleteNamespaceAsync("default"));
        e.Response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    internal static V1Deployment Deployment(string name, int replicas = 1, string image = "nginx:1.27") => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = image, Ports = [new V1ContainerPort { Name = "http", ContainerPort = 8080 }] }] },
            },
        },
    };
}
