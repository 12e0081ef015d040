using System.Net;
using LbOperator.Gateway;
using LbOperator.LoadBalancing;

namespace LbOperator.Tests.Gateway;

[Category("Unit")]
public sealed class GatewayScriptTests
{
    [Test]
    public void The_Seed_Forwards_Its_Port_To_The_ClusterIP_And_Masquerades()
    {
        var script = GatewayScript.RenderApply(GatewayScenarios.Seed());

        script.Should().Contain("-A LBSVC-PREROUTING -d 172.18.0.18/32 -j LBSVC-DNAT\n");
        script.Should().Contain("-A LBSVC-DNAT -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.109.201.193:80\n");
        script.Should().Contain("-A LBSVC-POSTROUTING -d 10.109.201.193/32 -j MASQUERADE\n");
        script.Should().Contain("ip -4 addr replace 172.18.0.18/16 dev net1\n");
        script.Should().Contain("ip -4 route replace default via 172.18.0.1 dev net1 table 100\n");
        script.Should().Contain("route_cluster_ip -4 10.109.201.193\n");
        script.Should().NotContain("ip6tables").And.NotContain("\r");
    }

    [Test]
    public void IPv6_Uses_Ip6tables_And_Brackets_Around_The_Destination()
    {
        var script = GatewayScript.RenderApply(GatewayScenarios.DualStackWithSourceRanges());

        script.Should().Contain("ip6tables-restore -w --noflush <<'RULES'\n");
        script.Should().Contain("-j DNAT --to-destination [fd00:96::a]:80\n");
        script.Should().Contain("ip -6 addr replace fd00:18::12/64 dev net1\n");
        script.Should().Contain("--reject-with icmp6-port-unreachable");
    }

    [Test]
    public void Source_Ranges_Apply_Per_Family()
    {
        var script = GatewayScript.RenderApply(GatewayScenarios.DualStackWithSourceRanges());

        script.Should().Contain("-A LBSVC-PREROUTING -s 192.168.50.0/24 -d 172.18.0.18/32 -j LBSVC-DNAT\n");
        script.Should().Contain("-A LBSVC-DNAT -p udp -m udp --dport 53 -j DNAT --to-destination 10.109.201.193:53\n");
        script.Should().Contain("-A LBSVC-PREROUTING -s fd00:50::/64 -d fd00:18::12/128 -j LBSVC-DNAT\n");
        script.Should().NotContain("-s 192.168.50.0/24 -d fd00").And.NotContain("-s fd00:50::/64 -d 172");
    }

    [Test]
    public void A_Family_Without_Allowed_Sources_Forwards_Nothing()
    {
        var plan = new GatewayPlan(GatewayScenarios.DualStackWithSourceRanges().Families,
            [new ServicePortRule(PortProtocol.Tcp, 80)], [IPNetwork.Parse("192.168.50.0/24")]);
        var script = GatewayScript.RenderApply(plan);

        script.Should().NotContain("-d fd00:18::12/128 -j LBSVC-DNAT", "no IPv6 source may reach the DNAT rules");
        script.Should().Contain("-A LBSVC-PREROUTING -s 192.168.50.0/24 -d 172.18.0.18/32 -j LBSVC-DNAT\n");
    }

    [Test]
    public void Several_Ports_Of_A_Protocol_Share_Multiport_Rules_That_Keep_Each_Port()
    {
        int[] tcp = [80, 443, .. Enumerable.Range(8000, 11), .. Enumerable.Range(1, 14).Select(i => 9000 + (2 * i))];
        var plan = new GatewayPlan(GatewayScenarios.Seed().Families,
            [.. tcp.Select(p => new ServicePortRule(PortProtocol.Tcp, p)), new ServicePortRule(PortProtocol.Udp, 53)], []);

        var script = GatewayScript.RenderApply(plan);

        // 80, 443 and 8000:8010 (two slots) then eleven of the scattered ports fill the first rule's 15 slots.
        script.Should().Contain("-A LBSVC-DNAT -p tcp -m multiport --dports 80,443,8000:8010,9002,9004,9006,9008,9010,9012,9014,9016,9018,9020,9022 -j DNAT --to-destination 10.109.201.193\n");
        script.Should().Contain("-A LBSVC-DNAT -p tcp -m multiport --dports 9024,9026,9028 -j DNAT --to-destination 10.109.201.193\n");
        script.Should().Contain("-A LBSVC-DNAT -p udp -m udp --dport 53 -j DNAT --to-destination 10.109.201.193:53\n");
        script.Split('\n').Count(l => l.StartsWith("-A LBSVC-DNAT", StringComparison.Ordinal)).Should().Be(3);
    }

    [Test]
    public void Many_Source_Ranges_Are_Matched_Once_And_Not_Once_Per_Port()
    {
        var ranges = Enumerable.Range(0, 100).Select(i => IPNetwork.Parse($"10.{i}.0.0/16")).ToList();
        var plan = new GatewayPlan(GatewayScenarios.Seed().Families, [.. Enumerable.Range(1, 100).Select(p => new ServicePortRule(PortProtocol.Tcp, p * 3))], ranges);

        var lines = GatewayScript.RenderApply(plan).Split('\n');

        var jumps = lines.Where(l => l.StartsWith("-A LBSVC-PREROUTING", StringComparison.Ordinal)).ToList();
        jumps.Should().HaveCount(2, "64 ranges fit on one rule").And.OnlyContain(l => l.EndsWith(" -d 172.18.0.18/32 -j LBSVC-DNAT", StringComparison.Ordinal));
        jumps[0].Should().StartWith("-A LBSVC-PREROUTING -s 10.0.0.0/16,10.1.0.0/16,");
        string.Join(",", jumps.Select(j => j.Split(' ')[3])).Split(',').Should().Equal(ranges.Select(r => r.ToString()));
        lines.Count(l => l.StartsWith("-A LBSVC-DNAT", StringComparison.Ordinal)).Should().Be(7, "100 ports in rules of 15");
        lines.Should().OnlyContain(l => l.Length < 2100, "iptables-restore reads lines into a buffer of its own");
    }

    [Test]
    public void The_Check_Also_Fails_When_Only_Our_Nat_Chains_Were_Flushed()
    {
        var check = GatewayScript.RenderCheck(GatewayScenarios.DualStackWithSourceRanges());

        check.Should().Contain("iptables -w -t nat -C LBSVC-PREROUTING -s 192.168.50.0/24 -d 172.18.0.18/32 -j LBSVC-DNAT\n");
        check.Should().Contain("iptables -w -t nat -C LBSVC-DNAT -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.109.201.193:80\n");
        check.Should().Contain("ip6tables -w -t nat -C LBSVC-PREROUTING -s fd00:50::/64 -d fd00:18::12/128 -j LBSVC-DNAT\n");
    }

    [Test]
    public void Rendering_Is_Deterministic() =>
        GatewayScript.RenderApply(GatewayScenarios.DualStackWithSourceRanges())
            .Should().Be(GatewayScript.RenderApply(GatewayScenarios.DualStackWithSourceRanges()));

    [Test]
    public void The_Keeper_Reruns_The_Script_When_The_Check_Fails()
    {
        var keeper = GatewayScript.RenderKeeper(TimeSpan.FromSeconds(7));
        keeper.Should().Contain("if ! sh -c \"$LBSVC_CHECK\"").And.Contain("sh -c \"$LBSVC_APPLY\"").And.Contain("sleep 7 &");
        ShellSyntax.Check(keeper).Should().BeEmpty();
        ShellSyntax.Check(GatewayScript.RenderCheck(GatewayScenarios.DualStackWithSourceRanges())).Should().BeEmpty();
    }

    [Test]
    public void A_Plan_Refuses_An_Address_Outside_Its_Subnet() =>
        FluentActions.Invoking(() => new GatewayFamily(IPAddress.Parse("10.0.0.1"), IPNetwork.Parse("172.18.0.0/16"), IPAddress.Parse("172.18.0.1"), IPAddress.Parse("10.96.0.1")))
            .Should().Throw<ArgumentException>().WithMessage("*10.0.0.1 is outside 172.18.0.0/16*");

    [Test]
    public void A_Plan_Refuses_A_Scoped_IPv6_Address() =>
        FluentActions.Invoking(() => new GatewayFamily(IPAddress.Parse("fd00::5"), IPNetwork.Parse("fd00::/64"), IPAddress.Parse("fd00::1"), IPAddress.Parse("fe80::1%2")))
            .Should().Throw<ArgumentException>().WithMessage("*without scope*");

    [Test]
    public void A_Plan_Refuses_Duplicate_Ports() =>
        FluentActions.Invoking(() => new GatewayPlan(GatewayScenarios.Seed().Families,
                [new ServicePortRule(PortProtocol.Udp, 53), new ServicePortRule(PortProtocol.Udp, 53)], []))
            .Should().Throw<ArgumentException>().WithMessage("*53/UDP is listed twice*");

    [TestCase(0)]
    [TestCase(65536)]
    public void A_Port_Outside_1_To_65535_Is_Refused(int port) =>
        FluentActions.Invoking(() => new ServicePortRule(PortProtocol.Tcp, port)).Should().Throw<ArgumentOutOfRangeException>();
}
