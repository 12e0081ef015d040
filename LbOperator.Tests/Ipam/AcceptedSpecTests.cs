using LbOperator.Ipam;
using static LbOperator.Tests.Ipam.TestSubnets;

namespace LbOperator.Tests.Ipam;

/// <summary>The record of the definition in effect, kept on the Subnet for the rebuild after a restart.</summary>
[Category("Unit")]
public sealed class AcceptedSpecTests
{
    private static IEnumerable<SubnetDefinition> Definitions()
    {
        yield return Seed();
        yield return Define("v6", "fd00::/120", "fd00::ff", "fd00::10..fd00::1f");
        yield return Define("dual", "10.0.0.0/24,fd00::/64", "10.0.0.254", "10.0.0.5", "fd00::5..fd00::9");
        yield return Define("p2p", "10.2.0.0/31");
        var manifest = Manifest("vlan", "10.9.0.0/24");
        manifest.Spec.Vlan = "vlan10";
        manifest.Spec.Vpc = "tenant";
        yield return SubnetParser.Parse(manifest).Definition!;
    }

    [TestCaseSource(nameof(Definitions))]
    public void What_Is_Written_Reads_Back_As_The_Same_Definition(SubnetDefinition definition)
    {
        var subnet = Manifest(definition.Name, "192.168.0.0/24");
        AcceptedSpec.Write(subnet, definition).Should().BeTrue();
        AcceptedSpec.Write(subnet, definition).Should().BeFalse("nothing changed");
        var read = AcceptedSpec.Read(subnet);
        read!.IsValid.Should().BeTrue(string.Join("; ", read.Errors));
        read.Definition.Should().Be(definition);
    }

    [Test]
    public void The_Record_Is_The_Normalised_Spec_As_Json()
    {
        var subnet = Manifest("attach-subnet", "172.18.0.0/16");
        AcceptedSpec.Write(subnet, Seed());
        subnet.Metadata.Annotations[AcceptedSpec.Annotation].Should().Be(
            """{"cidrBlock":"172.18.0.0/16","gateway":"172.18.0.1","excludeIps":["172.18.0.0..172.18.0.10"],"provider":"lb-svc-attachment.kube-system"}""");
    }

    [Test]
    public void No_Record_Reads_As_Null_And_Writing_None_Removes_It()
    {
        var subnet = Manifest("s", "10.0.0.0/24");
        AcceptedSpec.Read(subnet).Should().BeNull();
        AcceptedSpec.Write(subnet, null).Should().BeFalse();
        AcceptedSpec.Write(subnet, Define("s", "10.0.0.0/24"));
        AcceptedSpec.Write(subnet, null).Should().BeTrue();
        subnet.Metadata.Annotations.Should().NotContainKey(AcceptedSpec.Annotation);
    }

    [TestCase("not json")]
    [TestCase("[1,2]")]
    [TestCase("null")]
    public void A_Garbled_Record_Is_Reported_Naming_The_Annotation(string value)
    {
        var subnet = Manifest("s", "10.0.0.0/24");
        subnet.Metadata.Annotations = new Dictionary<string, string> { [AcceptedSpec.Annotation] = value };
        var read = AcceptedSpec.Read(subnet)!;
        read.IsValid.Should().BeFalse();
        read.Errors.Should().ContainSingle().Which.Field.Should().Be($"metadata.annotations[{AcceptedSpec.Annotation}]");
    }

    [Test]
    public void A_Hand_Edited_Record_Is_Validated_Like_A_Spec()
    {
        var subnet = Manifest("s", "10.0.0.0/24");
        subnet.Metadata.Annotations = new Dictionary<string, string> { [AcceptedSpec.Annotation] = """{"cidrBlock":"10.0.0.0/24","gateway":"10.0.0.0"}""" };
        AcceptedSpec.Read(subnet)!.Errors.Should().ContainSingle().Which.Field.Should().Be("spec.gateway");
    }
}
