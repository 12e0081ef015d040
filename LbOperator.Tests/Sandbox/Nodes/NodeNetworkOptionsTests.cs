using System.Net;
using LbOperator.Sandbox.Nodes;
using Microsoft.Extensions.Logging.Abstractions;

namespace LbOperator.Tests.Sandbox.Nodes;

[Category("Unit")]
public sealed class NodeNetworkOptionsTests
{
    [Test]
    public void Defaults_Are_Kube_Ovns_Pod_Network_And_The_Seed_Subnet()
    {
        var options = NodeNetworkOptions.Default;
        options.Validate();
        options.PodNetworks.Should().Equal(GatewayedNetwork.Parse("10.16.0.0/16", "10.16.0.1"));
        options.PhysicalNetworks.Should().Equal(GatewayedNetwork.Parse("172.18.0.0/16", "172.18.0.1"));
        options.ClientNamespace.Should().Be("lbop-client");
        options.StateFile.Should().Be("/run/lboperator-sandbox/lbop-state.json");
        NodeNetworkOptions.DualStack.Validate();
    }

    [TestCase("", "prefix '' must be 1 to 40 characters")]
    [TestCase("bad/prefix-", "prefix 'bad/prefix-' must be 1 to 40 characters")]
    public void Rejects_A_Prefix_That_Cannot_Name_A_Namespace(string prefix, string message)
    {
        var validate = (NodeNetworkOptions.Default with { Prefix = prefix }).Validate;
        validate.Should().Throw<ArgumentException>().WithMessage($"*{message}*");
    }

    [Test]
    public void Rejects_A_Client_Outside_The_Physical_Network_Or_On_Its_Gateway()
    {
        var outside = (NodeNetworkOptions.Default with { ClientAddresses = [IPAddress.Parse("192.168.1.2")] }).Validate;
        outside.Should().Throw<ArgumentException>().WithMessage("client address 192.168.1.2 is not inside any physical network (172.18.0.0/16)");
        var gateway = (NodeNetworkOptions.Default with { ClientAddresses = [IPAddress.Parse("172.18.0.1")] }).Validate;
        gateway.Should().Throw<ArgumentException>().WithMessage("client address 172.18.0.1 is the physical network's gateway");
    }

    [Test]
    public void Gateway_Must_Be_Inside_Its_Network()
    {
        var parse = () => GatewayedNetwork.Parse("10.16.0.0/16", "10.17.0.1");
        parse.Should().Throw<ArgumentException>().WithMessage("gateway 10.17.0.1 is not inside network 10.16.0.0/16");
    }

    [TestCase("lbop-node", true)]
    [TestCase("lbop-client", true)]
    [TestCase("lbop-pod-default-web-0", true)]
    [TestCase("lbop-net", true)]
    [TestCase("lbop-node-2", true)]
    [TestCase("lbop-node-x", false)]
    [TestCase("lbop-node-", false)]
    [TestCase("lbop-nodes", false)]
    [TestCase("lbopt1234abcd-node", false)]
    [TestCase("lbop-t1234-pod-default-web", false)]
    [TestCase("other", false)]
    public void Owns_Only_Its_Fixed_Roles_And_Pods(string name, bool owned) =>
        new NodeTopology(NodeNetworkOptions.Default, NullLogger.Instance).Owns(name).Should().Be(owned);

    [Test]
    public void One_Node_Keeps_Its_Name_Namespace_And_Pod_Network()
    {
        var node = NodeNetworkOptions.Default.Nodes.Should().ContainSingle().Subject;
        node.NodeName.Should().Be("sandbox-node");
        node.Namespace.Should().Be("lbop-node");
        node.PodNetworks.Should().Equal(GatewayedNetwork.Parse("10.16.0.0/16", "10.16.0.1"));
        node.UplinkAddress.Should().BeNull();
        node.Node.InternalIp.Should().Be(IPAddress.Parse("172.18.0.2"));
    }

    [Test]
    public void Several_Nodes_Get_Numbered_Names_A_Slice_Of_The_Pod_Network_And_Uplink_Addresses()
    {
        var nodes = (NodeNetworkOptions.Default with { NodeCount = 3 }).Nodes;
        nodes.Select(n => n.NodeName).Should().Equal("sandbox-node-1", "sandbox-node-2", "sandbox-node-3");
        nodes.Select(n => n.Namespace).Should().Equal("lbop-node-1", "lbop-node-2", "lbop-node-3");
        nodes[1].PodNetworks.Should().Equal(GatewayedNetwork.Parse("10.16.2.0/24", "10.16.2.1"));
        nodes[1].UplinkAddress.Should().Be(IPAddress.Parse("172.18.0.3"));
        nodes[1].Node.PodCidr.Should().Be(IPNetwork.Parse("10.16.2.0/24"));
        nodes.Select(n => n.SwitchPort).Should().OnlyHaveUniqueItems().And.AllSatisfy(p => p.Length.Should().BeLessThanOrEqualTo(15));
    }

    [Test]
    public void Several_Nodes_Are_IPv4_Only_And_At_Most_Eight()
    {
        (NodeNetworkOptions.DualStack with { NodeCount = 2 }).Invoking(o => o.Validate()).Should().Throw<ArgumentException>().WithMessage("*dual stack*");
        (NodeNetworkOptions.Default with { NodeCount = 9 }).Invoking(o => o.Validate()).Should().Throw<ArgumentException>().WithMessage("node count 9*");
    }

    [Test]
    public void Long_Pod_Names_Are_Shortened_With_A_Hash()
    {
        var topology = new NodeTopology(NodeNetworkOptions.Default, NullLogger.Instance);
        topology.PodNamespaceName("default", "web-0").Should().Be("lbop-pod-default-web-0");
        var longName = topology.PodNamespaceName("default", new string('a', 200));
        longName.Should().HaveLength(96).And.StartWith("lbop-pod-default-aaa");
        topology.Owns(longName).Should().BeTrue();
        topology.PodNamespaceName("default", new string('a', 199)).Should().NotBe(longName);
    }
}
