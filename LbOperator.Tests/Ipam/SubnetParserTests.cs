using System.Net.Sockets;
using LbOperator.Entities;
using LbOperator.Ipam;
using static LbOperator.Tests.Ipam.TestSubnets;

namespace LbOperator.Tests.Ipam;

[Category("Unit")]
public sealed class SubnetParserTests
{
    private static IReadOnlyList<string> Errors(string cidrBlock, string? gateway = null, params string[] excludeIps)
    {
        var result = SubnetParser.Parse(Manifest("s", cidrBlock, gateway, excludeIps));
        result.IsValid.Should().BeFalse();
        return [.. result.Errors.Select(e => e.ToString())];
    }

    [Test]
    public void Seed_Subnet_Parses_As_Kube_Ovn_Normalises_It()
    {
        var subnet = Seed();
        subnet.Protocol.Should().Be(IpProtocol.IPv4);
        subnet.IsIpamOnly.Should().BeTrue();
        var v4 = subnet.V4!;
        v4.Cidr.ToString().Should().Be("172.18.0.0/16");
        v4.Gateway.Should().Be(Ip("172.18.0.1"));
        v4.Usable.ToString().Should().Be("172.18.0.1-172.18.255.254");
        v4.Excluded.Select(r => r.ToString()).Should().Equal("172.18.0.1-172.18.0.10");
        subnet.ExcludeIps.Select(r => r.ToExcludeIpsString()).Should().Equal("172.18.0.0..172.18.0.10");
        subnet.V6.Should().BeNull();
    }

    [Test]
    public void Host_Bits_Are_Cleared_And_Gateway_Defaults_To_First_Usable_Address()
    {
        var subnet = Define("s", "10.1.2.3/24");
        subnet.CidrBlock.Should().Be("10.1.2.0/24");
        subnet.Gateway.Should().Be("10.1.2.1");
        subnet.V4!.Excluded.Select(r => r.ToString()).Should().Equal("10.1.2.1");
    }

    [Test]
    public void Dual_Stack_Completes_A_Single_Family_Gateway_And_Puts_IPv4_First()
    {
        var subnet = Define("s", "fd00::5/120,10.0.0.0/24", "10.0.0.254");
        subnet.Protocol.Should().Be(IpProtocol.Dual);
        subnet.CidrBlock.Should().Be("10.0.0.0/24,fd00::/120");
        subnet.Gateway.Should().Be("10.0.0.254,fd00::1");
        subnet.Families.Select(f => f.Family).Should().Equal(AddressFamily.InterNetwork, AddressFamily.InterNetworkV6);
    }

    [Test]
    public void Protocol_Is_Derived_From_Cidr_Block_Whatever_Was_Written()
    {
        var manifest = Manifest("s", "fd00::/64");
        manifest.Spec.Protocol = "IPv4";
        var subnet = SubnetParser.Parse(manifest).Definition!;
        subnet.Protocol.Should().Be(IpProtocol.IPv6);
        subnet.Normalize(manifest.Spec);
        manifest.Spec.Protocol.Should().Be("IPv6");
    }

    [Test]
    public void Overlapping_Excludes_Merge_And_Are_Clipped_To_The_Usable_Range()
    {
        var subnet = Define("s", "10.0.0.0/24", null, "10.0.0.200..10.0.0.255", "10.0.0.5..10.0.0.9", "10.0.0.8..10.0.0.12", "10.0.0.13");
        subnet.V4!.Excluded.Select(r => r.ToString())
            .Should().Equal("10.0.0.1", "10.0.0.5-10.0.0.13", "10.0.0.200-10.0.0.254");
        var spec = new V1SubnetSpec();
        subnet.Normalize(spec);
        spec.ExcludeIps.Should().Equal("10.0.0.1", "10.0.0.200..10.0.0.255", "10.0.0.5..10.0.0.13");
        spec.CidrBlock.Should().Be("10.0.0.0/24");
        spec.Gateway.Should().Be("10.0.0.1");
        spec.Provider.Should().Be("lb-svc-attachment.kube-system");
    }

    [Test]
    public void Provider_Decides_Who_Manages_The_Subnet()
    {
        Define("s", "10.0.0.0/24").IsIpamOnly.Should().BeTrue();
        var manifest = Manifest("s", "10.0.0.0/24");
        manifest.Spec.Provider = null;
        SubnetParser.Parse(manifest).Definition!.Provider.Should().Be("ovn");
        SubnetParser.Parse(manifest).Definition!.IsIpamOnly.Should().BeFalse();
        manifest.Spec.Provider = "net1.default.ovn";
        SubnetParser.Parse(manifest).Definition!.IsIpamOnly.Should().BeFalse();
    }

    [Test]
    public void Point_To_Point_Prefixes_Use_The_Whole_Prefix()
    {
        var v4 = Define("s", "10.0.0.0/31").V4!;
        v4.Usable.ToString().Should().Be("10.0.0.0-10.0.0.1");
        v4.Gateway.Should().Be(Ip("10.0.0.0"));
        Define("s", "fd00::/127").V6!.Usable.ToString().Should().Be("fd00::-fd00::1");
    }

    [Test]
    public void Missing_Cidr_Block_Is_Reported()
    {
        Errors("").Should().Equal(
            "subnet s: spec.cidrBlock \"\" is required; use an IPv4 CIDR (10.0.0.0/24), an IPv6 CIDR (fd00::/64) or one of each, comma-separated (\"10.0.0.0/24,fd00::/64\")");
    }

    [TestCase("10.0.0/24")]
    [TestCase("10.0.0.0")]
    [TestCase("10.0.0.0/33")]
    [TestCase("010.0.0.0/24")]
    [TestCase("10.0.0.0/024")]
    [TestCase("fd00::%eth0/64")]
    [TestCase("subnet")]
    public void Unparsable_Cidr_Is_Reported(string cidr)
    {
        Errors(cidr).Should().Equal(
            $"subnet s: spec.cidrBlock \"{cidr}\" is not a CIDR (address/prefix); use an IPv4 CIDR (10.0.0.0/24), an IPv6 CIDR (fd00::/64) or one of each, comma-separated (\"10.0.0.0/24,fd00::/64\")");
    }

    [TestCase("10.0.0.5/32", "/31")]
    [TestCase("fd00::5/128", "/127")]
    public void Single_Address_Cidr_Is_Reported(string cidr, string accepted)
    {
        Errors(cidr).Should().Equal(
            $"subnet s: spec.cidrBlock \"{cidr}\" is a single address and leaves nothing to hand out; use a prefix of {accepted} or shorter");
    }

    [TestCase("127.0.0.0/8", "loopback (127.0.0.0/8)")]
    [TestCase("169.254.0.0/16", "link-local (169.254.0.0/16)")]
    [TestCase("224.0.0.0/24", "multicast (224.0.0.0/4)")]
    [TestCase("0.0.0.0/0", "\"this network\" (0.0.0.0/8)")]
    [TestCase("fe80::/64", "link-local (fe80::/10)")]
    [TestCase("ff02::/64", "multicast (ff00::/8)")]
    [TestCase("::/64", "the unspecified address (::)")]
    public void Special_Cidr_Is_Reported(string cidr, string what)
    {
        Errors(cidr).Should().Equal(
            $"subnet s: spec.cidrBlock \"{cidr}\" overlaps {what}, which cannot hold unicast addresses; use a global unicast network such as 10.0.0.0/24 or fd00::/64");
    }

    [Test]
    public void Two_Cidrs_Of_One_Family_Are_Reported()
    {
        Errors("10.0.0.0/24,10.1.0.0/24").Should().Equal(
            "subnet s: spec.cidrBlock \"10.1.0.0/24\" is a second IPv4 CIDR after 10.0.0.0/24; use at most one IPv4 and one IPv6 CIDR");
    }

    [Test]
    public void Gateway_Outside_Cidr_Is_Reported_With_The_Usable_Range()
    {
        var errors = SubnetParser.Parse(Manifest("attach-subnet", "172.18.0.0/16", "10.0.0.1")).Errors;
        errors.Should().ContainSingle().Which.ToString().Should().Be(
            "subnet attach-subnet: spec.gateway \"10.0.0.1\" is not inside spec.cidrBlock 172.18.0.0/16; use an address of 172.18.0.1-172.18.255.254");
        errors[0].Field.Should().Be("spec.gateway");
        errors[0].Value.Should().Be("10.0.0.1");
    }

    [TestCase("10.0.0.0", "network")]
    [TestCase("10.0.0.255", "broadcast")]
    public void Gateway_On_Network_Or_Broadcast_Is_Reported(string gateway, string which)
    {
        Errors("10.0.0.0/24", gateway).Should().Equal(
            $"subnet s: spec.gateway \"{gateway}\" is the {which} address of 10.0.0.0/24; use an address of 10.0.0.1-10.0.0.254");
    }

    [Test]
    public void IPv6_Has_No_Broadcast_So_The_All_Ones_Gateway_Is_Valid_And_Stays_Out_Of_The_Pool()
    {
        var v6 = Define("s", "fd00::/120", "fd00::ff").V6!;
        v6.Gateway.Should().Be(Ip("fd00::ff"));
        v6.Usable.ToString().Should().Be("fd00::1-fd00::fe", "Kube-OVN's pool still ends one before the last address");
        var dual = Define("s", "10.0.0.0/24,fd00::/64", "10.0.0.1,fd00::ffff:ffff:ffff:ffff");
        dual.Gateway.Should().Be("10.0.0.1,fd00::ffff:ffff:ffff:ffff");
        Errors("fd00::/120", "fd00::").Should().ContainSingle().Which.Should().Contain("network address");

        var ipam = new IpamService();
        ipam.ApplySubnet(Define("s", "fd00::/120", "fd00::ff"));
        ipam.GetStatus("s")!.V6!.Available.Should().Be((UInt128)254, "the gateway sits outside the pool, which keeps its 254 addresses");
        ipam.Allocate("s", Owner("a"), AddressRequest.Static([Ip("fd00::ff")])).Should().BeOfType<AllocationResult.OutOfRange>()
            .Which.Message.Should().Contain("the last address, never handed out, of fd00::/120");
        ipam.Allocate("s", Owner("b"), AddressRequest.Static([Ip("fd00::fe")])).Addresses().Should().Equal("fd00::fe");
    }

    [TestCase("FD00::/64", null, null, "spec.cidrBlock \"FD00::/64\"")]
    [TestCase("10.0.0.0/24,fd00:AB::/64", null, null, "spec.cidrBlock \"fd00:AB::/64\"")]
    [TestCase("fd00::/64", "fd00::A", null, "spec.gateway \"fd00::A\"")]
    [TestCase("fd00::/64", null, "fd00::A..fd00::f", "spec.excludeIps[0] \"fd00::A..fd00::f\"")]
    public void Upper_Case_IPv6_Is_Refused_As_Kube_Ovn_Refuses_It(string cidr, string? gateway, string? exclude, string what)
    {
        var errors = exclude is null ? Errors(cidr, gateway) : Errors(cidr, gateway, exclude);
        errors.Should().ContainSingle().Which.Should().StartWith($"subnet s: {what} ").And.Contain("upper-case");
    }

    [Test]
    public void Gateway_Of_A_Family_Without_Cidr_Is_Reported()
    {
        Errors("10.0.0.0/24", "fd00::1").Should().Equal(
            "subnet s: spec.gateway \"fd00::1\" is an IPv6 address but spec.cidrBlock 10.0.0.0/24 has no IPv6 CIDR; use an IPv4 address of 10.0.0.1-10.0.0.254");
    }

    [Test]
    public void Two_Gateways_Of_One_Family_Are_Reported()
    {
        Errors("10.0.0.0/24", "10.0.0.1,10.0.0.2").Should().Equal(
            "subnet s: spec.gateway \"10.0.0.2\" is a second IPv4 gateway after 10.0.0.1; use one address per family");
    }

    [Test]
    public void Unparsable_Gateway_Is_Reported()
    {
        Errors("10.0.0.0/24", "10.0.0").Should().Equal(
            "subnet s: spec.gateway \"10.0.0\" is not an IP address; use one address per family of spec.cidrBlock, an IPv4 address of 10.0.0.1-10.0.0.254");
    }

    [TestCase("10.0.0.1..10.0.0.2..10.0.0.3")]
    [TestCase("10.0.0.x")]
    [TestCase("10.0.0.1-10.0.0.5")]
    [TestCase("")]
    public void Malformed_Exclude_Is_Reported(string entry)
    {
        Errors("10.0.0.0/24", null, entry).Should().Equal(
            $"subnet s: spec.excludeIps[0] \"{entry}\" is not an address or a range; use an address (172.18.0.5) or an inclusive range start..end (172.18.0.5..172.18.0.9)");
    }

    [Test]
    public void Inverted_Exclude_Range_Is_Reported_With_The_Fix()
    {
        Errors("10.0.0.0/24", null, "10.0.0.9", "10.0.0.20..10.0.0.10").Should().Equal(
            "subnet s: spec.excludeIps[1] \"10.0.0.20..10.0.0.10\" ends before it starts; write the lower address first (10.0.0.10..10.0.0.20)");
    }

    [Test]
    public void Exclude_Range_Mixing_Families_Is_Reported()
    {
        Errors("10.0.0.0/24,fd00::/120", null, "10.0.0.1..fd00::1").Should().Equal(
            "subnet s: spec.excludeIps[0] \"10.0.0.1..fd00::1\" mixes IPv4 and IPv6; use an address (172.18.0.5) or an inclusive range start..end (172.18.0.5..172.18.0.9)");
    }

    [Test]
    public void Exclude_Of_The_Wrong_Family_Is_Reported()
    {
        Errors("10.0.0.0/24", null, "fd00::1..fd00::9").Should().Equal(
            "subnet s: spec.excludeIps[0] \"fd00::1..fd00::9\" is IPv6 but spec.cidrBlock 10.0.0.0/24 has no IPv6 CIDR; use addresses of 10.0.0.1-10.0.0.254");
    }

    [Test]
    public void Exclude_Outside_The_Cidr_Is_Reported()
    {
        Errors("10.0.0.0/24", null, "10.0.1.1..10.0.1.9", "10.0.2.1").Should().Equal(
            "subnet s: spec.excludeIps[0] \"10.0.1.1..10.0.1.9\" is outside spec.cidrBlock 10.0.0.0/24; use addresses of 10.0.0.1-10.0.0.254",
            "subnet s: spec.excludeIps[1] \"10.0.2.1\" is outside spec.cidrBlock 10.0.0.0/24; use addresses of 10.0.0.1-10.0.0.254");
    }

    [Test]
    public void Unknown_Protocol_Is_Reported()
    {
        var manifest = Manifest("s", "10.0.0.0/24");
        manifest.Spec.Protocol = "Mac";
        SubnetParser.Parse(manifest).Errors.Select(e => e.ToString()).Should().Equal(
            "subnet s: spec.protocol \"Mac\" is not a protocol; use IPv4, IPv6 or Dual, or leave it empty (it is derived from spec.cidrBlock)");
    }

    [Test]
    public void Missing_Name_Is_Reported()
    {
        var manifest = Manifest("", "10.0.0.0/24");
        SubnetParser.Parse(manifest).Errors.Select(e => e.ToString()).Should().Equal(
            "subnet <unnamed>: metadata.name \"\" is required; give the Subnet a name");
    }

    [Test]
    public void Every_Problem_Is_Reported_At_Once()
    {
        Errors("172.18.0.0/16", "10.0.0.1", "172.18.0.9..172.18.0.5", "1.2.3.4").Should().HaveCount(3);
    }
}
