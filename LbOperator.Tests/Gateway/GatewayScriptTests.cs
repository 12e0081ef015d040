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

        script.Should().Contain("-A LBSVC-PREROUTING -d 172.18.0.18/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.109.201.193:80\n");
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

        script.Should().Contain("-A LBSVC-PREROUTING -s 192.168.50.0/24 -d 172.18.0.18/32 -p udp -m udp --dport 53 -j DNAT --to-destination 10.109.201.193:53\n");
        script.Should().Contain("-A LBSVC-PREROUTING -s fd00:50::/64 -d fd00:18::12/128 -p tcp");
        script.Should().NotContain("-s 192.168.50.0/24 -d fd00").And.NotContain("-s fd00:50::/64 -d 172");
    }

    [Test]
    public void A_Family_Without_Allowed_Sources_Forwards_Nothing()
    {
        var plan = new GatewayPlan(GatewayScenarios.DualStackWithSourceRanges().Families,
            [new ServicePortRule(PortProtocol.Tcp, 80)], [IPNetwork.Parse("192.168.50.0/24")]);
        var script = GatewayScript.RenderApply(plan);

        script.Should().NotContain("-j DNAT --to-destination [fd00:96::a]");
        script.Should().Contain("-j DNAT --to-destination 10.109.201.193:80");
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
