using System.Net;
using LbOperator.Ipam;
using static LbOperator.Tests.Ipam.TestSubnets;

namespace LbOperator.Tests.Ipam;

/// <summary>Addresses another IPAM handed out (Kube-OVN's IPs and Vips) are never given to a Service.</summary>
[Category("Unit")]
public sealed class HeldElsewhereTests
{
    private static readonly Dictionary<IPAddress, string> PodAddresses = new()
    {
        [Ip("172.18.0.11")] = "Kube-OVN IP web-0.default",
        [Ip("172.18.0.12")] = "Kube-OVN Vip keep",
    };

    [Test]
    public void A_Dynamic_Request_Skips_Them_And_A_Static_One_Is_Refused_Naming_The_Holder()
    {
        var ipam = new IpamService();
        ipam.ApplySubnet(Seed());
        ipam.SetHeldElsewhere("attach-subnet", PodAddresses);

        ipam.Allocate("attach-subnet", Owner("a"), AddressRequest.Dynamic).Addresses().Should().Equal("172.18.0.13");
        var refused = ipam.Allocate("attach-subnet", Owner("b"), AddressRequest.Static([Ip("172.18.0.11")]));
        refused.Should().BeOfType<AllocationResult.HeldElsewhere>().Which.Message
            .Should().Be("172.18.0.11 of subnet attach-subnet is in use by Kube-OVN IP web-0.default");
        ipam.GetStatus("attach-subnet")!.V4!.Available.Should().Be((UInt128)(65524 - 3));
    }

    [Test]
    public void An_Address_Is_Handed_Over_Only_By_Its_Own_Holder()
    {
        var ipam = new IpamService();
        ipam.ApplySubnet(Seed());
        ipam.SetHeldElsewhere("attach-subnet", PodAddresses);

        ipam.Allocate("attach-subnet", Owner("a"), AddressRequest.HandedOver([Ip("172.18.0.11")], "Kube-OVN Vip keep"))
            .Should().BeOfType<AllocationResult.HeldElsewhere>("another holder cannot give it away");
        ipam.Allocate("attach-subnet", Owner("a"), AddressRequest.HandedOver([Ip("172.18.0.11")], "Kube-OVN IP web-0.default"))
            .Addresses().Should().Equal("172.18.0.11");
        ipam.Allocate("attach-subnet", Owner("b"), AddressRequest.HandedOver([Ip("172.18.0.11")], "Kube-OVN IP web-0.default"))
            .Should().BeOfType<AllocationResult.Conflict>("once handed over it is held in this IPAM like any address");
        ipam.Allocate("attach-subnet", Owner("c"), AddressRequest.HandedOver([Ip("172.18.0.13")], "Kube-OVN IP web-0.default"))
            .Addresses().Should().Equal(["172.18.0.13"], "an address nobody holds elsewhere is taken as a static request is");
    }

    [Test]
    public void They_Hold_For_A_Subnet_Added_Later_And_Through_A_Rebuild_And_Are_Freed_When_Gone()
    {
        var ipam = new IpamService();
        ipam.SetHeldElsewhere("attach-subnet", PodAddresses);
        ipam.ApplySubnet(Seed());
        ipam.Allocate("attach-subnet", Owner("a"), AddressRequest.Dynamic).Addresses().Should().Equal("172.18.0.13");

        ipam.Rebuild([]);
        ipam.Allocate("attach-subnet", Owner("c"), AddressRequest.Dynamic).Addresses().Should().Equal("172.18.0.13");

        ipam.SetHeldElsewhere("attach-subnet", new Dictionary<IPAddress, string>());
        ipam.Allocate("attach-subnet", Owner("d"), AddressRequest.Dynamic).Addresses().Should().Equal("172.18.0.11");
    }

    [Test]
    public void What_A_Service_Already_Holds_Stays_Its_Own()
    {
        var ipam = new IpamService();
        ipam.ApplySubnet(Seed());
        ipam.Allocate("attach-subnet", Owner("a"), AddressRequest.Static([Ip("172.18.0.11")])).Should().BeOfType<AllocationResult.Allocated>();

        // Kube-OVN gave the same address to a pod later: the Service keeps it, and asking again for it is no conflict.
        ipam.SetHeldElsewhere("attach-subnet", PodAddresses);
        ipam.Allocate("attach-subnet", Owner("a"), AddressRequest.Static([Ip("172.18.0.11")])).Should()
            .BeOfType<AllocationResult.Allocated>().Which.Changed.Should().BeFalse();
        ipam.Allocate("attach-subnet", Owner("a"), AddressRequest.Dynamic).Addresses().Should().Equal("172.18.0.11");
        ipam.Release(Owner("a"));
        ipam.Allocate("attach-subnet", Owner("b"), AddressRequest.Dynamic).Addresses().Should().Equal(["172.18.0.13"], "once freed it is Kube-OVN's");
    }
}
