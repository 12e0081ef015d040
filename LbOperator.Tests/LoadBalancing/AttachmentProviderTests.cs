using LbOperator.LoadBalancing;

namespace LbOperator.Tests.LoadBalancing;

[Category("Unit")]
public sealed class AttachmentProviderTests
{
    [TestCase(null)]
    [TestCase("")]
    public void An_Empty_Value_Means_The_Default_Attachment(string? value)
    {
        var provider = AttachmentProvider.Parse(value, "here").GetValueOrThrow();
        provider.NadName.Should().Be("lb-svc-attachment");
        provider.NadNamespace.Should().Be("kube-system");
        provider.Name.Should().Be("lb-svc-attachment.kube-system");
    }

    [TestCase("lb-svc-attachment.kube-system", "lb-svc-attachment", "kube-system")]
    [TestCase("macvlan.external.infra", "macvlan.external", "infra")]
    [TestCase("a.b", "a", "b")]
    public void The_Namespace_Is_What_Follows_The_Last_Dot(string value, string name, string ns)
    {
        var provider = AttachmentProvider.Parse(value, "here").GetValueOrThrow();
        provider.NadName.Should().Be(name);
        provider.NadNamespace.Should().Be(ns);
        provider.Name.Should().Be(value);
    }

    [TestCase("lb-svc-attachment", "does not name a NetworkAttachmentDefinition")]
    [TestCase(".kube-system", "does not name a NetworkAttachmentDefinition")]
    [TestCase("lb-svc-attachment.", "does not name a NetworkAttachmentDefinition")]
    [TestCase("ovn", "does not name a NetworkAttachmentDefinition")]
    [TestCase("net.ovn", "is a Kube-OVN network")]
    [TestCase("lb.Kube-System", "namespace \"Kube-System\" is not a valid namespace name")]
    [TestCase("lb.kube_system", "namespace \"kube_system\" is not a valid namespace name")]
    [TestCase("LB.kube-system", "\"LB\" is not a valid NetworkAttachmentDefinition name")]
    [TestCase("lb;rm -rf /.kube-system", "is not a valid NetworkAttachmentDefinition name")]
    [TestCase("lb..x.kube-system", "is not a valid NetworkAttachmentDefinition name")]
    public void A_Malformed_Value_Gets_A_Message_Naming_It(string value, string expected)
    {
        var result = AttachmentProvider.Parse(value, "Service default/x: annotation ovn.kubernetes.io/attachmentprovider");
        result.IsSuccess.Should().BeFalse();
        result.Error.Should().StartWith($"Service default/x: annotation ovn.kubernetes.io/attachmentprovider \"{value}\"")
            .And.Contain(expected)
            .And.Contain("<nad-name>.<nad-namespace>");
    }

    [Test]
    public void A_Provider_Too_Long_For_An_Annotation_Key_Is_Refused()
    {
        var value = new string('a', 230) + ".kube-system";
        AttachmentProvider.Parse(value, "here").Error.Should().Contain("at most 239 characters");
    }
}
