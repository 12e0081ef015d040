using System.Net;
using System.Net.Sockets;
using LbOperator.Ipam;
using static LbOperator.Tests.Ipam.TestSubnets;

namespace LbOperator.Tests.Ipam;

[Category("Unit")]
public sealed class IpRangeSetTests
{
    private static IpRange R(string start, string end) => new(Ip(start), Ip(end));

    [Test]
    public void Adjacent_And_Overlapping_Ranges_Merge()
    {
        var set = new IpRangeSet(AddressFamily.InterNetwork);
        set.Add(R("10.0.0.1", "10.0.0.5"));
        set.Add(R("10.0.0.6", "10.0.0.8"));
        set.Add(R("10.0.0.20", "10.0.0.30"));
        set.Add(R("10.0.0.7", "10.0.0.21"));
        set.RangeCount.Should().Be(1);
        set.ToKubeOvnString().Should().Be("10.0.0.1-10.0.0.30");
        set.Count.Should().Be((UInt128)30);
    }

    [Test]
    public void Removing_From_The_Middle_Splits_A_Range()
    {
        var set = IpRangeSet.FromRanges(AddressFamily.InterNetwork, [R("10.0.0.1", "10.0.0.10")]);
        set.Remove(Ip("10.0.0.5"));
        set.Remove(R("10.0.0.9", "10.0.0.20"));
        set.ToKubeOvnString().Should().Be("10.0.0.1-10.0.0.4,10.0.0.6-10.0.0.8");
        set.Contains(Ip("10.0.0.5")).Should().BeFalse();
        set.Contains(Ip("10.0.0.6")).Should().BeTrue();
    }

    [Test]
    public void Removing_A_Span_Covering_Several_Ranges_Keeps_The_Outer_Pieces()
    {
        var set = IpRangeSet.FromRanges(AddressFamily.InterNetwork,
            [R("10.0.0.1", "10.0.0.3"), R("10.0.0.5", "10.0.0.7"), R("10.0.0.9", "10.0.0.11"), R("10.0.0.13", "10.0.0.15")]);
        set.Remove(R("10.0.0.2", "10.0.0.10"));
        set.ToKubeOvnString().Should().Be("10.0.0.1,10.0.0.11,10.0.0.13-10.0.0.15");
    }

    [Test]
    public void First_Free_Skips_The_Range_Covering_The_Start()
    {
        var set = IpRangeSet.FromRanges(AddressFamily.InterNetwork, [R("10.0.0.1", "10.0.0.10"), R("10.0.0.12", "10.0.0.12")]);
        set.FirstFree(R("10.0.0.1", "10.0.0.254")).Should().Be(Ip("10.0.0.11"));
        set.FirstFree(R("10.0.0.0", "10.0.0.254")).Should().Be(Ip("10.0.0.0"));
        set.FirstFree(R("10.0.0.1", "10.0.0.10")).Should().BeNull();
    }

    [Test]
    public void Ipv6_Ranges_Count_Without_Enumerating()
    {
        var set = new IpRangeSet(AddressFamily.InterNetworkV6);
        set.Add(IpRange.Of(IPNetwork.Parse("fd00::/64")));
        set.Count.Should().Be(UInt128.One << 64);
        set.Remove(Ip("fd00::1"));
        set.Count.Should().Be((UInt128.One << 64) - 1);
        set.ToKubeOvnString().Should().Be("fd00::,fd00::2-fd00::ffff:ffff:ffff:ffff");
    }

    [Test]
    public void The_Edges_Of_The_Address_Space_Do_Not_Overflow()
    {
        var v6 = new IpRangeSet(AddressFamily.InterNetworkV6);
        v6.Add(R("::", "::5"));
        v6.Add(R("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fff0", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
        v6.FirstFree(R("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fff0", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")).Should().BeNull();
        v6.Remove(Ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
        v6.Contains(Ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe")).Should().BeTrue();
        var v4 = IpRangeSet.FromRanges(AddressFamily.InterNetwork, [R("0.0.0.0", "255.255.255.255")]);
        v4.Count.Should().Be((UInt128)uint.MaxValue + 1);
        v4.FirstFree(R("0.0.0.0", "255.255.255.255")).Should().BeNull();
    }

    [Test]
    public void Union_Except_And_Common_Count_Agree()
    {
        var a = IpRangeSet.FromRanges(AddressFamily.InterNetwork, [R("10.0.0.1", "10.0.0.10"), R("10.0.0.20", "10.0.0.30")]);
        var b = IpRangeSet.FromRanges(AddressFamily.InterNetwork, [R("10.0.0.5", "10.0.0.22"), R("10.0.0.31", "10.0.0.31")]);
        a.Union(b).ToKubeOvnString().Should().Be("10.0.0.1-10.0.0.31");
        a.Except(b).ToKubeOvnString().Should().Be("10.0.0.1-10.0.0.4,10.0.0.23-10.0.0.30");
        a.CountCommon(b).Should().Be((UInt128)9);
        a.Within(R("10.0.0.8", "10.0.0.25")).ToKubeOvnString().Should().Be("10.0.0.8-10.0.0.10,10.0.0.20-10.0.0.25");
    }

    [Test]
    public void Mixing_Families_Is_Rejected()
    {
        var set = new IpRangeSet(AddressFamily.InterNetwork);
        var act = () => set.Add(Ip("fd00::1"));
        act.Should().Throw<ArgumentException>().WithMessage("*IPv6*IPv4*");
        var range = () => new IpRange(Ip("10.0.0.1"), Ip("fd00::1"));
        range.Should().Throw<ArgumentException>();
        var inverted = () => R("10.0.0.2", "10.0.0.1");
        inverted.Should().Throw<ArgumentException>().WithMessage("*ends before it starts*");
    }

    [Test]
    public void Range_Notations_Follow_Kube_Ovn()
    {
        R("10.0.0.1", "10.0.0.1").ToString().Should().Be("10.0.0.1");
        R("10.0.0.1", "10.0.0.9").ToString().Should().Be("10.0.0.1-10.0.0.9");
        R("10.0.0.1", "10.0.0.9").ToExcludeIpsString().Should().Be("10.0.0.1..10.0.0.9");
        IpRange.Of(IPNetwork.Parse("10.0.0.0/30")).Should().Be(R("10.0.0.0", "10.0.0.3"));
    }
}
