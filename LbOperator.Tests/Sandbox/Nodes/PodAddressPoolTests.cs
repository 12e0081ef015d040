using System.Net;
using LbOperator.Sandbox.Nodes;

namespace LbOperator.Tests.Sandbox.Nodes;

[Category("Unit")]
public sealed class PodAddressPoolTests
{
    [Test]
    public void Allocates_Lowest_Free_Address_Skipping_The_Gateway()
    {
        var pool = new PodAddressPool(GatewayedNetwork.Parse("10.16.0.0/16", "10.16.0.1"));
        pool.Allocate().Should().Be(IPAddress.Parse("10.16.0.2"));
        pool.Allocate().Should().Be(IPAddress.Parse("10.16.0.3"));
        pool.Release(IPAddress.Parse("10.16.0.2"));
        pool.Allocate().Should().Be(IPAddress.Parse("10.16.0.2"));
        pool.Count.Should().Be(2);
    }

    [Test]
    public void Never_Hands_Out_Network_Gateway_Or_Broadcast()
    {
        var pool = new PodAddressPool(GatewayedNetwork.Parse("192.168.5.0/29", "192.168.5.6"));
        var all = Enumerable.Range(0, 5).Select(_ => pool.Allocate().ToString()).ToList();
        all.Should().Equal("192.168.5.1", "192.168.5.2", "192.168.5.3", "192.168.5.4", "192.168.5.5");
        var more = pool.Allocate;
        more.Should().Throw<InvalidOperationException>().WithMessage("pod network 192.168.5.0/29 has no free address left (5 in use)");
    }

    [Test]
    public void Handles_IPv6_Without_A_Broadcast_Address()
    {
        var pool = new PodAddressPool(GatewayedNetwork.Parse("fd00:10:16::/126", "fd00:10:16::1"));
        Enumerable.Range(0, 2).Select(_ => pool.Allocate().ToString()).Should().Equal("fd00:10:16::2", "fd00:10:16::3");
    }

    [Test]
    public void Releasing_An_Unknown_Address_Changes_Nothing()
    {
        var pool = new PodAddressPool(GatewayedNetwork.Parse("10.16.0.0/16", "10.16.0.1"));
        pool.Allocate();
        pool.Release(IPAddress.Parse("10.99.0.2"));
        pool.Release(IPAddress.Parse("10.16.0.77"));
        pool.Count.Should().Be(1);
    }
}
