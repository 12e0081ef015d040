using LbOperator.Sandbox.Nodes;

namespace LbOperator.Tests.Sandbox.Nodes;

[Category("Unit")]
public sealed class NetworkSelectionTests
{
    [TestCase("kube-system/lb-svc-attachment", "kube-system", "lb-svc-attachment", "net1")]
    [TestCase("lb-svc-attachment", "apps", "lb-svc-attachment", "net1")]
    [TestCase("kube-system/lb-svc-attachment@net1", "kube-system", "lb-svc-attachment", "net1")]
    [TestCase(" default/test-service@ext0 ", "default", "test-service", "ext0")]
    [TestCase("""[{"name":"lb-svc-attachment","namespace":"kube-system","interface":"net1"}]""", "kube-system", "lb-svc-attachment", "net1")]
    [TestCase("""[{"name":"lb-svc-attachment"}]""", "apps", "lb-svc-attachment", "net1")]
    public void Parses_One_Selection(string annotation, string nadNamespace, string name, string interfaceName) =>
        NetworkSelection.Parse(annotation, "apps").Should().Equal(new NetworkAttachment(nadNamespace, name, interfaceName));

    [Test]
    public void Names_Unnamed_Interfaces_In_Order() =>
        NetworkSelection.Parse("a, b@x9, c", "ns").Select(a => a.InterfaceName).Should().Equal("net1", "x9", "net3");

    [TestCase(null)]
    [TestCase("")]
    [TestCase("  ")]
    [TestCase("[]")]
    public void No_Annotation_Means_No_Attachment(string? annotation) =>
        NetworkSelection.Parse(annotation, "ns").Should().BeEmpty();

    [TestCase("/name", "is not [namespace/]name[@interface]")]
    [TestCase("a@net1,b@net1", "interface 'net1' is requested more than once")]
    [TestCase("a@averyveryverylongname", "is not a valid Linux interface name")]
    [TestCase("[{\"namespace\":\"x\"}]", "every entry needs a \"name\" string")]
    [TestCase("[{", "not a JSON list")]
    public void Rejects_Bad_Annotations_Naming_The_Annotation(string annotation, string reason)
    {
        var parse = () => NetworkSelection.Parse(annotation, "ns");
        parse.Should().Throw<FormatException>().WithMessage($"annotation k8s.v1.cni.cncf.io/networks: *{reason}*");
    }
}
