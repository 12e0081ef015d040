using k8s.Models;
using LbOperator.Cli;
using LbOperator.Entities;

namespace LbOperator.Tests.Cli;

[Category("Unit")]
public sealed class ManifestReaderTests
{
    [Test]
    public void Reads_Several_Documents_Into_Typed_Objects_In_Order()
    {
        var manifests = ManifestReader.Default.Read("""
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec: {type: LoadBalancer, loadBalancerIP: 172.18.0.18}
            ---
            apiVersion: kubeovn.io/v1
            kind: Subnet
            metadata: {name: attach-subnet}
            spec: {cidrBlock: 172.18.0.0/16, excludeIps: [172.18.0.0..172.18.0.10]}
            ---
            apiVersion: k8s.cni.cncf.io/v1
            kind: NetworkAttachmentDefinition
            metadata: {name: lb-svc-attachment, namespace: kube-system}
            ---
            """, "all.yaml");
        manifests.Should().HaveCount(3);
        manifests[0].Entity.Should().BeOfType<V1Service>().Which.Spec.LoadBalancerIP.Should().Be("172.18.0.18");
        manifests[0].DisplayName.Should().Be("Service shop/web");
        manifests[1].Entity.Should().BeOfType<V1Subnet>().Which.Spec.ExcludeIps.Should().Equal("172.18.0.0..172.18.0.10");
        manifests[2].Entity.Should().BeOfType<V1NetworkAttachmentDefinition>().Which.Metadata.NamespaceProperty.Should().Be("kube-system");
        manifests[2].ReadError.Should().BeNull();
        manifests[2].Kind.Should().Be("NetworkAttachmentDefinition");
        manifests.Select(m => m.Document).Should().Equal(1, 2, 3);
        manifests.Should().OnlyContain(m => m.Source == "all.yaml");
    }

    [Test]
    public void A_Reader_Knows_Only_The_Kinds_It_Is_Given()
    {
        var reader = new ManifestReader([ManifestKind.Of<V1Subnet>()]);
        var manifests = reader.Read("apiVersion: v1\nkind: Service\nmetadata: {name: web}\n", "s.yaml");
        manifests.Should().ContainSingle().Which.Entity.Should().BeNull();
    }

    [Test]
    public void A_Scalar_Document_Is_Not_A_Kubernetes_Object()
    {
        var act = () => ManifestReader.Default.Read("just text\n", "t.yaml");
        act.Should().Throw<CliException>().WithMessage("t.yaml: document 1 is not a Kubernetes object*");
    }
}
