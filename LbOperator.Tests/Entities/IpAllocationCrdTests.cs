using k8s.Models;
using LbOperator.Entities;
using LbOperator.Framework.Transpilation;

namespace LbOperator.Tests.Entities;

[Category("Unit")]
public sealed class IpAllocationCrdTests
{
    private static readonly V1CustomResourceDefinition Crd = CrdTranspiler.Transpile(typeof(V1IpAllocation));

    [Test]
    public void Is_A_Cluster_Scoped_Crd_Of_The_Operators_Own_Group_Without_Status()
    {
        Crd.Metadata.Name.Should().Be("ipallocations.lboperator.io");
        Crd.Spec.Scope.Should().Be("Cluster", "namespaced objects are in reach of whoever can edit the namespace");
        Crd.Spec.Names.ShortNames.Should().Equal("ipalloc");
        Crd.Spec.Versions.Should().ContainSingle().Which.Subresources.Should().BeNull();
    }

    [Test]
    public void Its_Spec_Is_Required_And_Immutable_And_Kubectl_Shows_Address_Subnet_And_Service()
    {
        var spec = Crd.Spec.Versions[0].Schema.OpenAPIV3Schema.Properties["spec"];
        spec.Required.Should().BeEquivalentTo("subnet", "address", "family", "service");
        spec.XKubernetesValidations.Should().ContainSingle().Which.Rule.Should().Be("self == oldSelf");
        spec.Properties["service"].Required.Should().BeEquivalentTo("namespace", "name", "uid");
        Crd.Spec.Versions[0].AdditionalPrinterColumns.Select(c => c.Name).Should().Equal("Address", "Subnet", "Namespace", "Service", "Age");
    }
}
