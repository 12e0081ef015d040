using LbOperator.Entities;
using LbOperator.Ipam;
using static LbOperator.Tests.Ipam.TestSubnets;

namespace LbOperator.Tests.Ipam;

/// <summary>Two Subnets of one network never share an address: the IPAM refuses a Subnet whose CIDR overlaps one in effect.</summary>
[Category("Unit")]
public sealed class SubnetOverlapTests
{
    private static SubnetDefinition In(string name, string cidrBlock, string? vpc = null, string? vlan = null)
    {
        var manifest = Manifest(name, cidrBlock);
        manifest.Spec.Vpc = vpc;
        manifest.Spec.Vlan = vlan;
        var parsed = SubnetParser.Parse(manifest);
        parsed.IsValid.Should().BeTrue(string.Join("; ", parsed.Errors));
        return parsed.Definition!;
    }

    [Test]
    public void A_Subnet_Overlapping_One_In_Effect_Is_Refused_And_Hands_Out_Nothing()
    {
        var ipam = new IpamService();
        ipam.ApplySubnet(In("a", "10.0.0.0/24")).Should().BeOfType<SubnetChange.Accepted>();
        ipam.Allocate("a", Owner("first"), AddressRequest.Static([Ip("10.0.0.200")])).Addresses().Should().Equal("10.0.0.200");

        ipam.ApplySubnet(In("b", "10.0.0.128/25")).Should().NotBeOfType<SubnetChange.Accepted>();
        ipam.GetSubnet("b").Should().BeNull();
        ipam.Allocate("b", Owner("second"), AddressRequest.Static([Ip("10.0.0.200")]))
            .Should().NotBeOfType<AllocationResult.Allocated>("10.0.0.200 is held in subnet a");
    }

    [Test]
    public void A_Larger_Cidr_Around_One_In_Effect_Is_Refused_Too()
    {
        var ipam = new IpamService();
        ipam.ApplySubnet(In("small", "10.0.0.128/25")).Should().BeOfType<SubnetChange.Accepted>();
        ipam.ApplySubnet(In("large", "10.0.0.0/16")).Should().NotBeOfType<SubnetChange.Accepted>();
    }

    [Test]
    public void Dual_Stack_Subnets_Overlap_When_Either_Family_Does()
    {
        var ipam = new IpamService();
        ipam.ApplySubnet(In("a", "10.0.0.0/24,fd00::/120")).Should().BeOfType<SubnetChange.Accepted>();
        ipam.ApplySubnet(In("b", "10.1.0.0/24,fd00::80/121")).Should().NotBeOfType<SubnetChange.Accepted>();
        ipam.ApplySubnet(In("c", "10.1.0.0/24,fd01::/120")).Should().BeOfType<SubnetChange.Accepted>("no family overlaps");
        ipam.ApplySubnet(In("v6", "fd00::/64")).Should().NotBeOfType<SubnetChange.Accepted>();
    }

    [Test]
    public void An_Edit_Into_An_Overlap_Is_Refused_And_The_Previous_Definition_Stays()
    {
        var ipam = new IpamService();
        ipam.ApplySubnet(In("a", "10.0.0.0/24"));
        ipam.ApplySubnet(In("b", "10.0.1.0/24")).Should().BeOfType<SubnetChange.Accepted>();
        ipam.ApplySubnet(In("b", "10.0.0.0/23")).Should().NotBeOfType<SubnetChange.Accepted>("b has no holder, but its new CIDR overlaps a");
        ipam.GetSubnet("b")!.CidrBlock.Should().Be("10.0.1.0/24");
    }

    [Test]
    public void Subnets_Of_Another_Vpc_Or_Vlan_May_Overlap()
    {
        var ipam = new IpamService();
        ipam.ApplySubnet(In("a", "10.0.0.0/24")).Should().BeOfType<SubnetChange.Accepted>();
        ipam.ApplySubnet(In("b", "10.0.0.0/24", vlan: "vlan10")).Should().BeOfType<SubnetChange.Accepted>();
        ipam.ApplySubnet(In("c", "10.0.0.0/24", vpc: "tenant1")).Should().BeOfType<SubnetChange.Accepted>();
        ipam.ApplySubnet(In("d", "10.0.0.0/25", vlan: "vlan10")).Should().NotBeOfType<SubnetChange.Accepted>("b is in vlan10 already");
    }

    [Test]
    public void Adjacent_Cidrs_Do_Not_Overlap()
    {
        var ipam = new IpamService();
        ipam.ApplySubnet(In("a", "10.0.0.0/25")).Should().BeOfType<SubnetChange.Accepted>();
        ipam.ApplySubnet(In("b", "10.0.0.128/25")).Should().BeOfType<SubnetChange.Accepted>();
    }

    [Test]
    public void Reapplying_A_Subnet_Never_Conflicts_With_Itself()
    {
        var ipam = new IpamService();
        ipam.ApplySubnet(In("a", "10.0.0.0/24"));
        ipam.ApplySubnet(In("a", "10.0.0.0/24")).Should().BeOfType<SubnetChange.Accepted>();
    }

    private static V1Subnet SubnetObject(string name, string cidrBlock, DateTime created, string provider = "lb-svc-attachment.kube-system")
    {
        var subnet = Manifest(name, cidrBlock);
        subnet.Metadata.CreationTimestamp = created;
        subnet.Spec.Provider = provider;
        return subnet;
    }

    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Test]
    public void An_Older_Subnet_Not_Yet_In_Effect_Goes_First()
    {
        var older = SubnetObject("older", "10.0.0.0/24", T0);
        var newer = SubnetObject("newer", "10.0.0.0/25", T0.AddMinutes(1));
        var none = (Func<string, SubnetDefinition?>)(_ => null);
        SubnetOverlap.Blocker(newer, In("newer", "10.0.0.0/25"), [older, newer], none)
            .Should().StartWith("spec.cidrBlock \"10.0.0.0/25\" overlaps 10.0.0.0/24 of subnet older;");
        SubnetOverlap.Blocker(older, In("older", "10.0.0.0/24"), [older, newer], none).Should().BeNull("the newer one waits, not the older");
    }

    [Test]
    public void Of_Two_Subnets_Of_The_Same_Age_The_First_By_Name_Goes_First()
    {
        var a = SubnetObject("a", "10.0.0.0/24", T0);
        var b = SubnetObject("b", "10.0.0.0/24", T0);
        SubnetOverlap.Blocker(b, In("b", "10.0.0.0/24"), [a, b], _ => null).Should().Contain("subnet a");
        SubnetOverlap.Blocker(a, In("a", "10.0.0.0/24"), [a, b], _ => null).Should().BeNull();
    }

    [Test]
    public void A_Subnet_In_Effect_Blocks_Whatever_Its_Age_And_Is_Compared_As_It_Is_In_Effect()
    {
        var newer = SubnetObject("newer", "10.1.0.0/24", T0.AddMinutes(1));
        var older = SubnetObject("older", "10.0.0.0/24", T0);
        // The newer one is in effect with 10.0.0.0/24 (its spec was edited since): that definition is what counts.
        var inEffect = (Func<string, SubnetDefinition?>)(n => n == "newer" ? In("newer", "10.0.0.0/24") : null);
        SubnetOverlap.Blocker(older, In("older", "10.0.0.0/24"), [older, newer], inEffect).Should().Contain("subnet newer");
    }

    [Test]
    public void A_Subnet_Already_In_Effect_Is_Not_Blocked_By_An_Older_One_That_Is_Not()
    {
        var older = SubnetObject("older", "10.0.0.0/24", T0);
        var established = SubnetObject("established", "10.0.0.0/25", T0.AddMinutes(1));
        var inEffect = (Func<string, SubnetDefinition?>)(n => n == "established" ? In("established", "10.0.0.0/25") : null);
        SubnetOverlap.Blocker(established, In("established", "10.0.0.0/25"), [older, established], inEffect).Should().BeNull();
        SubnetOverlap.Blocker(established, In("established", "10.0.0.0/26"), [older, established], inEffect)
            .Should().Contain("subnet older", "a changed CIDR is new, and the older Subnet goes first");
    }

    [Test]
    public void Subnets_Being_Deleted_Invalid_Or_Of_Kube_Ovn_Do_Not_Block()
    {
        var deleting = SubnetObject("deleting", "10.0.0.0/24", T0);
        deleting.Metadata.DeletionTimestamp = T0.AddHours(1);
        var invalid = SubnetObject("invalid", "10.0.0.0/24", T0);
        invalid.Spec.Gateway = "10.0.0.0";
        var kubeOvn = SubnetObject("pods", "10.0.0.0/24", T0, provider: "ovn");
        var subject = SubnetObject("subject", "10.0.0.0/24", T0.AddMinutes(1));
        SubnetOverlap.Blocker(subject, In("subject", "10.0.0.0/24"), [deleting, invalid, kubeOvn, subject], _ => null).Should().BeNull();
    }

    [Test]
    public void Kube_Ovn_Puts_Its_Own_Subnets_Without_A_Vpc_Into_The_Default_Vpc()
    {
        var manifest = Manifest("pods", "10.16.0.0/16");
        manifest.Spec.Provider = null;
        SubnetParser.Parse(manifest).Definition!.Vpc.Should().Be("ovn-cluster");
        In("lb", "10.16.0.0/16").Vpc.Should().BeEmpty("an attachment network keeps an empty vpc, as in Kube-OVN");
        SubnetOverlap.Between(In("lb", "10.16.0.0/16"), SubnetParser.Parse(manifest).Definition!).Should().BeNull();
    }
}
