using LbOperator.Gateway;

namespace LbOperator.Tests.Gateway;

[Category("Unit")]
public sealed class KeepalivedConfigTests
{
    private static readonly GatewayRedundancy Redundancy = GatewayRedundancy.Vrrp(2, new VrrpRouterId(7), TimeSpan.FromMilliseconds(100));

    [Test]
    public void An_IPv4_Gateway_Advertises_Its_Address_In_Version_3_Tracked_By_The_Check()
    {
        var config = KeepalivedConfig.Render(GatewayScenarios.Seed(), Redundancy);

        config.Should().Contain("  version 3\n").And.Contain("  state BACKUP\n").And.Contain("  interface net1\n")
            .And.Contain("  virtual_router_id 7\n").And.Contain("  priority ${priority}\n").And.Contain("  advert_int 0.10\n").And.Contain("  nopreempt\n");
        config.Should().Contain("  virtual_ipaddress {\n    172.18.0.18/16 dev net1\n  }\n");
        config.Should().NotContain("virtual_ipaddress_excluded");
        config.Should().Contain("script \"/bin/sh ${dir}/check.sh\"").And.Contain("  init_fail\n");
        config.Should().Contain("vrrp_garp_master_refresh 5", "the holder repeats its gratuitous ARP");
        config.Should().Contain("  notify \"/bin/sh ${dir}/notify.sh\"\n", "each state change reaches the file the container's readiness reads");
    }

    [Test]
    public void A_Dual_Stack_Gateway_Moves_Its_IPv6_Address_With_The_IPv4_One()
    {
        var config = KeepalivedConfig.Render(GatewayScenarios.DualStackWithSourceRanges(), Redundancy);

        config.Should().Contain("  virtual_ipaddress {\n    172.18.0.18/16 dev net1\n  }\n");
        config.Should().Contain("  virtual_ipaddress_excluded {\n    fd00:18::12/64 dev net1\n  }\n");
    }

    [Test]
    public void The_Interval_Is_Written_In_Centiseconds_And_Refused_Outside_Vrrp_3()
    {
        KeepalivedConfig.Render(GatewayScenarios.Seed(), GatewayRedundancy.Vrrp(2, new VrrpRouterId(7), TimeSpan.FromMilliseconds(20)))
            .Should().Contain("advert_int 0.02\n");
        var tooShort = () => GatewayRedundancy.Vrrp(2, new VrrpRouterId(7), TimeSpan.FromMilliseconds(5));
        var notCentiseconds = () => GatewayRedundancy.Vrrp(2, new VrrpRouterId(7), TimeSpan.FromMilliseconds(105));
        tooShort.Should().Throw<ArgumentOutOfRangeException>();
        notCentiseconds.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Test]
    public void A_Single_Pod_Gateway_Has_No_Keepalived()
    {
        var act = () => KeepalivedConfig.Render(GatewayScenarios.Seed(), GatewayRedundancy.OnePod);
        act.Should().Throw<ArgumentException>();
    }
}
