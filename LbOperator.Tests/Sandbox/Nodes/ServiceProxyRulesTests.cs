using System.Net;
using System.Net.Sockets;
using k8s.Models;
using LbOperator.Sandbox.Nodes;
using static LbOperator.Tests.Sandbox.Nodes.NodeTestEnvironment;

namespace LbOperator.Tests.Sandbox.Nodes;

[Category("Unit")]
public sealed class ServiceProxyRulesTests
{
    [Test]
    public void Frontends_Pair_ClusterIp_Ports_With_Ready_Endpoint_Addresses_And_Target_Ports()
    {
        var service = Service("web", "10.96.0.10", port: 80, targetPort: 8080);
        var endpoints = Endpoints("web", 8080, IPAddress.Parse("10.16.0.3"), IPAddress.Parse("10.16.0.2"));
        endpoints.Subsets[0].NotReadyAddresses = [new V1EndpointAddress { Ip = "10.16.0.9" }];

        var frontends = ServiceFrontend.From([service], [endpoints]);

        frontends.Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            Service = "default/web:http",
            ClusterIp = IPAddress.Parse("10.96.0.10"),
            Port = 80,
            Protocol = ServiceProtocol.Tcp,
            Endpoints = new[] { new IPEndPoint(IPAddress.Parse("10.16.0.2"), 8080), new IPEndPoint(IPAddress.Parse("10.16.0.3"), 8080) },
        });
    }

    [Test]
    public void Headless_Services_And_Other_Families_Have_No_Frontend_Endpoints()
    {
        var headless = Service("headless", "None", 80, 80);
        var dual = Service("dual", "10.96.0.11", 80, 80);
        dual.Spec.ClusterIPs = ["10.96.0.11", "fd00:10:96::11"];
        var endpoints = Endpoints("dual", 80, IPAddress.Parse("10.16.0.2"));

        var frontends = ServiceFrontend.From([headless, dual], [endpoints]);

        frontends.Select(f => (f.ClusterIp.ToString(), f.Endpoints.Count)).Should().Equal(("10.96.0.11", 1), ("fd00:10:96::11", 0));
    }

    [Test]
    public void Renders_Random_Choice_With_Equal_Chances_And_Masquerade()
    {
        var frontend = new ServiceFrontend("default/web:http", IPAddress.Parse("10.96.0.10"), 80, ServiceProtocol.Tcp,
            [new(IPAddress.Parse("10.16.0.2"), 8080), new(IPAddress.Parse("10.16.0.3"), 8080), new(IPAddress.Parse("10.16.0.4"), 8080)]);
        var chain = ServiceProxyRules.ChainName(frontend);

        var rules = ServiceProxyRules.Render([frontend], AddressFamily.InterNetwork);

        rules.Should().Be(
            "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n" +
            $":LBOP-SERVICES - [0:0]\n:{chain} - [0:0]\n" +
            "-A PREROUTING -j LBOP-SERVICES\n-A OUTPUT -j LBOP-SERVICES\n" +
            "-A POSTROUTING -m conntrack --ctstate DNAT -j MASQUERADE\n" +
            $"-A LBOP-SERVICES -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -m comment --comment \"default/web:http\" -j {chain}\n" +
            $"-A {chain} -p tcp -m statistic --mode random --probability 0.33333 -j DNAT --to-destination 10.16.0.2:8080\n" +
            $"-A {chain} -p tcp -m statistic --mode random --probability 0.50000 -j DNAT --to-destination 10.16.0.3:8080\n" +
            $"-A {chain} -p tcp -j DNAT --to-destination 10.16.0.4:8080\n" +
            "COMMIT\n");
        chain.Should().MatchRegex("^LBOP-SVC-[0-9A-F]{12}$");
    }

    [Test]
    public void Renders_IPv6_Endpoints_In_Brackets_And_Skips_Frontends_Without_Endpoints()
    {
        var v6 = new ServiceFrontend("default/web:dns", IPAddress.Parse("fd00:10:96::a"), 53, ServiceProtocol.Udp,
            [new(IPAddress.Parse("fd00:10:16::2"), 5353)]);
        var empty = new ServiceFrontend("default/empty:http", IPAddress.Parse("fd00:10:96::b"), 80, ServiceProtocol.Tcp, []);

        var rules = ServiceProxyRules.Render([v6, empty], AddressFamily.InterNetworkV6);

        rules.Should().Contain("-d fd00:10:96::a/128 -p udp -m udp --dport 53")
            .And.Contain("-j DNAT --to-destination [fd00:10:16::2]:5353")
            .And.NotContain("fd00:10:96::b");
        ServiceProxyRules.Render([v6], AddressFamily.InterNetwork).Should().NotContain("fd00");
    }
}
