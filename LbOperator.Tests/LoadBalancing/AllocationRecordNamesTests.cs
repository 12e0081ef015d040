using System.Net;
using System.Net.Sockets;
using CsCheck;
using LbOperator.LoadBalancing;

namespace LbOperator.Tests.LoadBalancing;

[Category("Unit")]
public sealed class AllocationRecordNamesTests
{
    [TestCase("172.18.0.18", "172-18-0-18.attach-subnet")]
    [TestCase("0.0.0.0", "0-0-0-0.attach-subnet")]
    [TestCase("255.255.255.255", "255-255-255-255.attach-subnet")]
    [TestCase("fd00::12", "fd00-0-0-0-0-0-0-12.attach-subnet")]
    [TestCase("::1", "0-0-0-0-0-0-0-1.attach-subnet")]
    [TestCase("fd00::", "fd00-0-0-0-0-0-0-0.attach-subnet")]
    [TestCase("2001:DB8:0:ABCD::FFFF", "2001-db8-0-abcd-0-0-0-ffff.attach-subnet")]
    public void Names_An_Address_In_A_Dns_Form_That_Reads_Back(string address, string name)
    {
        AllocationRecordNames.For(IPAddress.Parse(address), "attach-subnet").Should().Be(name);
        DnsNames.IsSubdomain(name).Should().BeTrue();
        AllocationRecordNames.TryParseAddress(name, out var back).Should().BeTrue();
        back.Should().Be(IPAddress.Parse(address));
    }

    [TestCase("172-18-0-18")]
    [TestCase("172-18-0-018.s")]
    [TestCase("172-18-0-256.s")]
    [TestCase("172-18-0.s")]
    [TestCase("fd00--12.s")]
    [TestCase("fd00-0-0-0-0-0-0-012.s")]
    [TestCase("FD00-0-0-0-0-0-0-12.s")]
    [TestCase("fd00-0-0-0-0-0-12.s")]
    [TestCase("10000-0-0-0-0-0-0-1.s")]
    [TestCase(".s")]
    [TestCase("")]
    public void Reads_Back_Only_The_Form_It_Writes(string name) =>
        AllocationRecordNames.TryParseAddress(name, out _).Should().BeFalse();

    [Test]
    public void A_Subnet_Name_Too_Long_For_The_Record_Is_Cut_And_Hashed_So_Names_Stay_Distinct()
    {
        var address = IPAddress.Parse("fd00::12");
        var first = AllocationRecordNames.For(address, new string('a', 240) + ".one");
        var second = AllocationRecordNames.For(address, new string('a', 240) + ".two");
        first.Length.Should().BeLessThanOrEqualTo(253);
        DnsNames.IsSubdomain(first).Should().BeTrue();
        first.Should().NotBe(second);
        AllocationRecordNames.TryParseAddress(first, out var back).Should().BeTrue();
        back.Should().Be(address);
    }

    [Test]
    public void Every_Address_Has_One_Name_And_Every_Name_One_Address()
    {
        var v4 = Gen.UInt.Select(n => new IPAddress(BitConverter.GetBytes(n)));
        var v6 = Gen.Byte.Array[16].Select(b => new IPAddress(b));
        Gen.Select(Gen.OneOf(v4, v6), Gen.OneOf(v4, v6)).Sample((a, b) =>
        {
            var name = AllocationRecordNames.For(a, "s");
            DnsNames.IsSubdomain(name).Should().BeTrue(name);
            AllocationRecordNames.TryParseAddress(name, out var back).Should().BeTrue(name);
            back.Should().Be(a);
            back!.AddressFamily.Should().Be(a.AddressFamily);
            (name == AllocationRecordNames.For(b, "s")).Should().Be(a.Equals(b), $"{a} and {b}");
        }, iter: 2000);
    }

    [Test]
    public void A_Zoned_IPv6_Address_Has_No_Record_Name() =>
        FluentActions.Invoking(() => AllocationRecordNames.For(IPAddress.Parse("fe80::1%2"), "s")).Should().Throw<ArgumentException>();

    [Test]
    public void The_Two_Families_Never_Share_A_Name()
    {
        AllocationRecordNames.For(IPAddress.Parse("0.0.0.1"), "s").Should().NotBe(AllocationRecordNames.For(IPAddress.Parse("::1"), "s"));
        AllocationRecordNames.TryParseAddress("0-0-0-1.s", out var v4).Should().BeTrue();
        v4!.AddressFamily.Should().Be(AddressFamily.InterNetwork);
    }
}
