using System.Diagnostics;
using LbOperator.Benchmarks.Failover;
using LbOperator.LoadBalancing;

namespace LbOperator.Tests.Gateway.DataPath;

/// <summary>
/// Two gateway pods of one Service run for real in network namespaces (<see cref="FailoverLab"/>): their rendered
/// scripts, and keepalived with the rendered configuration. One holds the address, the other stands by; these tests
/// take the holder away in the ways a cluster does and check who answers. How long the address is dark is measured by
/// `make bench-failover`, not here.
/// </summary>
[Category("DataPath")]
[NonParallelizable]
public sealed class HighAvailabilityDataPathTests
{
    private static readonly ServicePortRule[] Ports = [new(PortProtocol.Tcp, 80), new(PortProtocol.Udp, 53)];
    private static readonly TimeSpan Advertisement = TimeSpan.FromMilliseconds(100);

    [SetUp]
    public void RequireRoot() => DataPathRequirements.Require("keepalived");

    [Test]
    public void The_Standby_Takes_Over_When_The_Holders_Node_Crashes()
    {
        using var lab = new FailoverLab([80], [53]);
        var events = new FailoverEvents(lab, LabGatewayScripts.Render(LabFamilies.IPv4, 2, Ports, Advertisement), 2);
        var holder = events.Settled();
        var standby = lab.Gateways.Single(g => g != holder);
        lab.Connect("172.18.0.18", 80).Should().StartWith("tcp 80 from 10.16.0.", "the holder forwards to the ClusterIP");

        lab.Crash(holder);

        Eventually(() => lab.HoldersOf("172.18.0.18").Contains(standby), "the standby holds the address");
        Eventually(() => lab.Connect("172.18.0.18", 80).StartsWith("tcp 80 from ", StringComparison.Ordinal), "the address answers through the standby");
        lab.LogOf(standby, "lb-svc-vrrp").Should().Contain("Entering MASTER STATE");
    }

    [Test]
    public void A_Deleted_Holder_Hands_The_Address_Over_Before_It_Goes()
    {
        using var lab = new FailoverLab([80], [53]);
        var events = new FailoverEvents(lab, LabGatewayScripts.Render(LabFamilies.IPv4, 2, Ports, Advertisement), 2);
        var holder = events.Settled();
        var standby = lab.Gateways.Single(g => g != holder);
        lab.Delete(holder, FailoverEvents.Grace);

        Eventually(() => lab.HoldersOf("172.18.0.18").SequenceEqual([standby]), "the standby holds the address");
        lab.Connect("172.18.0.18", 80).Should().StartWith("tcp 80 from 10.16.0.");
        // keepalived's own shutdown (not a kill) is what sends the priority 0 advertisement the standby acts on at once.
        lab.LogOf(holder, "lb-svc-vrrp").Should().Contain("Stopped Keepalived");
        lab.LogOf(standby, "lb-svc-vrrp").Should().Contain("Entering MASTER STATE");
    }

    [Test]
    public void A_Standby_Whose_Rules_Are_Gone_Never_Takes_The_Address()
    {
        using var lab = new FailoverLab([80], [53]);
        // Without the keeper, nothing puts the rules back: keepalived's check alone decides.
        var scripts = LabGatewayScripts.Render(LabFamilies.IPv4, 2, Ports, Advertisement);
        var vrrpOnly = scripts with { Containers = [.. scripts.Containers.Where(c => c.Name == "lb-svc-vrrp")] };
        var events = new FailoverEvents(lab, vrrpOnly, 2);
        var holder = events.Settled();
        var standby = lab.Gateways.Single(g => g != holder);
        lab.Exec(standby, "iptables", "-w", "-t", "nat", "-F", "LBSVC-DNAT").ExitCode.Should().Be(0);
        Eventually(() => lab.LogOf(standby, "lb-svc-vrrp").Contains("Entering FAULT STATE", StringComparison.Ordinal), "the standby's check fails");

        lab.Crash(holder);
        Thread.Sleep(TimeSpan.FromSeconds(2));

        // The crashed holder's namespace still lists the address, as a dead node's would; no live pod may.
        lab.HoldersOf("172.18.0.18").Should().NotContain(standby, "a pod that would not forward must not answer for the address");
        lab.Connect("172.18.0.18", 80).Should().Be("timeout");
        lab.Exec(standby, "sh", "-c", scripts.Apply).ExitCode.Should().Be(0);
        Eventually(() => lab.HoldersOf("172.18.0.18").Contains(standby), "with its rules back the standby takes the address");
        lab.Connect("172.18.0.18", 80).Should().StartWith("tcp 80 from 10.16.0.");
    }

    [Test]
    public void After_A_Frozen_Holder_Resumes_One_Mac_Answers()
    {
        using var lab = new FailoverLab([80], [53]);
        var events = new FailoverEvents(lab, LabGatewayScripts.Render(LabFamilies.IPv4, 2, Ports, Advertisement), 2);
        var holder = events.Settled();

        var outcome = events.Freeze(TimeSpan.FromSeconds(2));

        Eventually(() => lab.HoldersOf("172.18.0.18").Count == 1, "one gateway holds the address after the resume");
        using (var arp = FailoverLab.StartProbe(lab.Router, FailoverProbes.Arp, "r0", FailoverLab.RouterIPv4, "172.18.0.18", "5"))
        {
            Thread.Sleep(500);
            var rounds = System.Text.Json.JsonDocument.Parse(arp.Stop(TimeSpan.FromSeconds(10))).RootElement.EnumerateArray()
                .Select(r => r[1].EnumerateArray().Select(m => m.GetString()).ToList()).Where(m => m.Count > 0).ToList();
            rounds.Should().NotBeEmpty().And.OnlyContain(macs => macs.Count == 1, "two gateways answering ARP would split the clients");
            rounds.Select(r => r[0]).Distinct().Should().ContainSingle().Which.Should().Be(lab.MacOf(lab.HoldersOf("172.18.0.18")[0]));
        }
        outcome.TwoMacsDuringFreeze.Should().BePositive("a frozen pod's kernel still answers ARP while the standby holds the address");
        lab.Gateways.Should().Contain(holder);
    }

    [TestCase(LabFamilies.IPv6)]
    [TestCase(LabFamilies.DualStack)]
    public void IPv6_And_Dual_Stack_Addresses_Move_Together(LabFamilies families)
    {
        using var lab = new FailoverLab([80], [53]);
        var scripts = LabGatewayScripts.Render(families, 2, Ports, Advertisement);
        var events = new FailoverEvents(lab, scripts, 2);
        var holder = events.Settled();
        var standby = lab.Gateways.Single(g => g != holder);
        foreach (var address in scripts.Addresses)
        {
            lab.Connect(address.ToString(), 80).Should().StartWith("tcp 80 from ");
        }

        lab.Crash(holder);

        foreach (var address in scripts.Addresses)
        {
            Eventually(() => lab.HoldersOf(address.ToString()).Contains(standby), $"the standby holds {address}");
            Eventually(() => lab.Connect(address.ToString(), 80).StartsWith("tcp 80 from ", StringComparison.Ordinal), $"{address} answers through the standby");
        }
    }

    private static void Eventually(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(20))
            {
                Assert.Fail($"not within 20 s: {what}");
            }
            Thread.Sleep(100);
        }
    }
}
