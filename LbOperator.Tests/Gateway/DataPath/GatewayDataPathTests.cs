using LbOperator.Gateway;

namespace LbOperator.Tests.Gateway.DataPath;

/// <summary>
/// Runs the rendered gateway script for real in network namespaces (see <see cref="GatewayLab"/>) and sends TCP and
/// UDP from a client on the far side of the Subnet's router to the load balancer address.
/// </summary>
[Category("DataPath")]
[NonParallelizable]
public sealed class GatewayDataPathTests
{
    private static readonly string[] Shells = ["sh", "busybox sh"];

    [SetUp]
    public void RequireRoot() => DataPathRequirements.Require("busybox");

    [TestCaseSource(nameof(Shells))]
    public void Tcp_And_Udp_Reach_The_ClusterIP_On_The_Service_Port_Over_IPv4_And_IPv6(string shell)
    {
        // The Service says port 80 → targetPort 8080 and port 53 → named targetPort "dns"; the ClusterIP listens on 80
        // and 53, so that is where the gateway must send. A listener on 8080 would answer a wrong DNAT.
        using var lab = new GatewayLab(tcpPorts: [80, 8080], udpPorts: [53]);
        lab.RunScript(DataPathServices.RenderedScript(), shell.Split(' ')).EnsureSuccess("the gateway script");

        lab.Connect("tcp", GatewayLab.AllowedClientIPv4, "172.18.0.18", 80).Should().Be($"tcp 80 from {GatewayLab.GatewayEth0IPv4}");
        lab.Connect("udp", GatewayLab.AllowedClientIPv4, "172.18.0.18", 53).Should().Be($"udp 53 from {GatewayLab.GatewayEth0IPv4}");
        lab.Connect("tcp", GatewayLab.AllowedClientIPv6, "fd00:18::12", 80).Should().Be($"tcp 80 from {GatewayLab.GatewayEth0IPv6}");
        lab.Connect("udp", GatewayLab.AllowedClientIPv6, "fd00:18::12", 53).Should().Be($"udp 53 from {GatewayLab.GatewayEth0IPv6}");
        lab.RunScript(DataPathServices.RenderedCheck(), "sh").ExitCode.Should().Be(0, "the readiness check passes once the rules are in place");
    }

    [Test]
    public void A_Source_Outside_LoadBalancerSourceRanges_Is_Refused()
    {
        using var lab = new GatewayLab(tcpPorts: [80], udpPorts: [53]);
        lab.RunScript(DataPathServices.RenderedScript(sourceRanges: ["192.168.50.0/24", "fd00:50::/64"]), "sh").EnsureSuccess("the gateway script");

        lab.Connect("tcp", GatewayLab.AllowedClientIPv4, "172.18.0.18", 80).Should().Be($"tcp 80 from {GatewayLab.GatewayEth0IPv4}");
        lab.Connect("tcp", GatewayLab.RefusedClientIPv4, "172.18.0.18", 80).Should().Be("refused");
        lab.Connect("udp", GatewayLab.RefusedClientIPv4, "172.18.0.18", 53).Should().Be("refused");
        lab.Connect("tcp", GatewayLab.AllowedClientIPv6, "fd00:18::12", 80).Should().Be($"tcp 80 from {GatewayLab.GatewayEth0IPv6}");
        lab.Connect("tcp", GatewayLab.RefusedClientIPv6, "fd00:18::12", 80).Should().Be("refused");
    }

    [Test]
    public void The_Largest_Service_Runs_Through_The_Real_Script_Over_IPv4_And_IPv6()
    {
        var (script, check, longest) = DataPathServices.Largest();
        longest.Should().BeLessThan(GatewayLimits.MaxArgumentBytes, "the init container gets the script as one argument");
        using var lab = new GatewayLab(tcpPorts: [80, 1672], udpPorts: [53, 1679]);

        lab.RunScript(script, "sh").EnsureSuccess("the largest gateway script");

        lab.Connect("tcp", GatewayLab.AllowedClientIPv4, "172.18.0.18", 80).Should().Be($"tcp 80 from {GatewayLab.GatewayEth0IPv4}");
        lab.Connect("tcp", GatewayLab.AllowedClientIPv4, "172.18.0.18", 1672).Should().Be($"tcp 1672 from {GatewayLab.GatewayEth0IPv4}");
        lab.Connect("udp", GatewayLab.AllowedClientIPv4, "172.18.0.18", 1679).Should().Be($"udp 1679 from {GatewayLab.GatewayEth0IPv4}");
        lab.Connect("tcp", GatewayLab.AllowedClientIPv6, "fd00:18::12", 1672).Should().Be($"tcp 1672 from {GatewayLab.GatewayEth0IPv6}");
        lab.Connect("udp", GatewayLab.AllowedClientIPv6, "fd00:18::12", 53).Should().Be($"udp 53 from {GatewayLab.GatewayEth0IPv6}");
        lab.Connect("tcp", GatewayLab.RefusedClientIPv4, "172.18.0.18", 1672).Should().Be("refused");
        lab.Connect("tcp", GatewayLab.RefusedClientIPv6, "fd00:18::12", 80).Should().Be("refused");
        lab.Connect("tcp", GatewayLab.AllowedClientIPv4, "172.18.0.18", 1673).Should().Be("refused", "1673 is no port of the Service");
        lab.RunScript(check, "sh").ExitCode.Should().Be(0, "the readiness check passes once the rules are in place");
    }

    [Test]
    public void The_Keepers_Script_And_Check_Work_On_A_Read_Only_Root_With_Run_And_Tmp_In_Memory()
    {
        DataPathRequirements.Require("unshare", "mount");
        using var lab = new GatewayLab(tcpPorts: [80], udpPorts: [53]);
        lab.RunScript(DataPathServices.RenderedScript(), "sh").EnsureSuccess("the init container's run");
        lab.RunScript("iptables -t nat -F PREROUTING; ip6tables -t nat -F PREROUTING", "sh").EnsureSuccess("removing the jumps");

        // What the keeper does when the check fails: apply again, unprivileged but for NET_ADMIN, on a read-only root.
        lab.RunScriptReadOnly(DataPathServices.RenderedScript()).EnsureSuccess("the script on a read-only root");

        lab.RunScriptReadOnly(DataPathServices.RenderedCheck()).ExitCode.Should().Be(0);
        lab.Connect("tcp", GatewayLab.AllowedClientIPv4, "172.18.0.18", 80).Should().Be($"tcp 80 from {GatewayLab.GatewayEth0IPv4}");
        lab.Connect("udp", GatewayLab.AllowedClientIPv6, "fd00:18::12", 53).Should().Be($"udp 53 from {GatewayLab.GatewayEth0IPv6}");
    }

    [Test]
    public void The_Check_Fails_When_Only_Our_DNAT_Chain_Was_Flushed()
    {
        using var lab = new GatewayLab(tcpPorts: [80], udpPorts: []);
        lab.RunScript(DataPathServices.RenderedScript(), "sh").EnsureSuccess("the gateway script");
        var check = DataPathServices.RenderedCheck();
        lab.RunScript(check, "sh").ExitCode.Should().Be(0);

        lab.RunScript("iptables -w -t nat -F LBSVC-DNAT", "sh").EnsureSuccess("flushing LBSVC-DNAT");

        lab.RunScript(check, "sh").ExitCode.Should().NotBe(0, "the keeper must see that forwarding is gone");
    }

    [Test]
    public void Running_The_Script_Twice_Changes_Nothing()
    {
        using var lab = new GatewayLab(tcpPorts: [80], udpPorts: [53]);
        var script = DataPathServices.RenderedScript(sourceRanges: ["192.168.50.0/24"]);

        lab.RunScript(script, "sh").EnsureSuccess("the first run");
        var afterFirstRun = lab.Snapshot();
        lab.RunScript(script, "sh").EnsureSuccess("the second run");

        lab.Snapshot().Should().Be(afterFirstRun);
        afterFirstRun.Should().Contain("LBSVC-PREROUTING").And.Contain("iif net1 lookup 100");
        lab.Connect("tcp", GatewayLab.AllowedClientIPv4, "172.18.0.18", 80).Should().Be($"tcp 80 from {GatewayLab.GatewayEth0IPv4}");
    }

    [Test]
    public void A_Port_Removed_By_Rerendering_No_Longer_Answers()
    {
        using var lab = new GatewayLab(tcpPorts: [80, 443], udpPorts: [53]);
        lab.RunScript(DataPathServices.RenderedScript(extraTcpPort: 443), "sh").EnsureSuccess("the first script");
        lab.Connect("tcp", GatewayLab.AllowedClientIPv4, "172.18.0.18", 443).Should().Be($"tcp 443 from {GatewayLab.GatewayEth0IPv4}");

        lab.RunScript(DataPathServices.RenderedScript(), "sh").EnsureSuccess("the re-rendered script");

        lab.Connect("tcp", GatewayLab.AllowedClientIPv4, "172.18.0.18", 443).Should().Be("refused");
        lab.Connect("tcp", GatewayLab.AllowedClientIPv6, "fd00:18::12", 443).Should().Be("refused");
        lab.Connect("tcp", GatewayLab.AllowedClientIPv4, "172.18.0.18", 80).Should().Be($"tcp 80 from {GatewayLab.GatewayEth0IPv4}");
    }

    [Test]
    public void The_Check_Fails_And_The_Script_Restores_Rules_That_Vanished()
    {
        using var lab = new GatewayLab(tcpPorts: [80], udpPorts: []);
        var script = DataPathServices.RenderedScript();
        var check = DataPathServices.RenderedCheck();
        lab.RunScript(script, "sh").EnsureSuccess("the gateway script");

        lab.RunScript("iptables -t nat -F PREROUTING", "sh").EnsureSuccess("flushing nat PREROUTING");
        lab.RunScript(check, "sh").ExitCode.Should().NotBe(0);
        lab.Connect("tcp", GatewayLab.AllowedClientIPv4, "172.18.0.18", 80).Should().Be("refused");

        lab.RunScript(script, "sh").EnsureSuccess("the script run again");
        lab.RunScript(check, "sh").ExitCode.Should().Be(0);
        lab.Connect("tcp", GatewayLab.AllowedClientIPv4, "172.18.0.18", 80).Should().Be($"tcp 80 from {GatewayLab.GatewayEth0IPv4}");
    }

    [Test]
    public void The_Keeper_Puts_Back_Rules_That_Vanished()
    {
        using var lab = new GatewayLab(tcpPorts: [80], udpPorts: []);
        var script = DataPathServices.RenderedScript();
        lab.RunScript(script, "sh").EnsureSuccess("the init container's run");
        lab.StartKeeper(script, DataPathServices.RenderedCheck(), TimeSpan.FromSeconds(1));

        lab.RunScript("iptables -t nat -F PREROUTING; ip -4 rule del iif net1 lookup 100", "sh").EnsureSuccess("removing rules");

        var deadline = DateTime.UtcNow.AddSeconds(15);
        var reply = "";
        while (DateTime.UtcNow < deadline && reply != $"tcp 80 from {GatewayLab.GatewayEth0IPv4}")
        {
            reply = lab.Connect("tcp", GatewayLab.AllowedClientIPv4, "172.18.0.18", 80);
            if (reply != $"tcp 80 from {GatewayLab.GatewayEth0IPv4}")
            {
                Thread.Sleep(200);
            }
        }
        reply.Should().Be($"tcp 80 from {GatewayLab.GatewayEth0IPv4}", "the keeper re-applied the script within seconds");
        lab.RunScript(DataPathServices.RenderedCheck(), "sh").ExitCode.Should().Be(0);
    }
}
