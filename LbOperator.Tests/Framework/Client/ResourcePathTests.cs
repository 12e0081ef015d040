using k8s.Models;
using LbOperator.Entities;
using LbOperator.Framework.Client;
using LbOperator.Framework.Entities;

namespace LbOperator.Tests.Framework.Client;

[Category("Unit")]
public sealed class ResourcePathTests
{
    [Test]
    public void Core_Kinds_Live_Under_Api_V1()
    {
        ResourcePath.Collection<V1Service>("default").Should().Be("/api/v1/namespaces/default/services");
        ResourcePath.Object<V1Service>("default", "web").Should().Be("/api/v1/namespaces/default/services/web");
        ResourcePath.Collection<V1Service>(null).Should().Be("/api/v1/services");
    }

    [Test]
    public void Grouped_Kinds_Live_Under_Apis() =>
        ResourcePath.Object<V1Deployment>("kube-system", "lb-svc-web").Should().Be("/apis/apps/v1/namespaces/kube-system/deployments/lb-svc-web");

    [Test]
    public void Cluster_Scoped_Custom_Kinds_Have_No_Namespace_Segment() =>
        ResourcePath.Object<V1Subnet>(null, "attach-subnet").Should().Be("/apis/kubeovn.io/v1/subnets/attach-subnet");

    [Test]
    public void Leases_Use_The_Coordination_Group() =>
        ResourcePath.Object<V1Lease>("default", "lb-operator-leader").Should().Be("/apis/coordination.k8s.io/v1/namespaces/default/leases/lb-operator-leader");

    [Test]
    public void Metadata_Reads_The_Kubernetes_Entity_Attribute()
    {
        var metadata = EntityMetadata.For<V1Deployment>();
        metadata.Should().Be(new EntityMetadata("Deployment", "v1", "apps", "deployments"));
        metadata.GroupWithVersion.Should().Be("apps/v1");
        metadata.ListKind.Should().Be("DeploymentList");
        EntityMetadata.For<V1Service>().GroupWithVersion.Should().Be("v1");
    }

    [Test]
    public void Types_Without_The_Attribute_Are_Rejected_By_Name()
    {
        var notAnEntity = typeof(string);
        var act = () => EntityMetadata.For(notAnEntity);
        act.Should().Throw<ArgumentException>().WithMessage("*System.String*[KubernetesEntity]*");
    }
}
