using System.Net.Sockets;
using LbOperator.Entities;
using LbOperator.Ipam;
using static LbOperator.Tests.Ipam.TestSubnets;

namespace LbOperator.Tests.Ipam;

[Category("Unit")]
public sealed class IpamServiceTests
{
    private static IpamService With(SubnetDefinition subnet)
    {
        var ipam = new IpamService();
        ipam.ApplySubnet(subnet).Should().BeOfType<SubnetChange.Accepted>();
        return ipam;
    }

    private static AllocationResult Dynamic(IpamService ipam, string subnet, string owner) =>
        ipam.Allocate(subnet, Owner(owner), AddressRequest.Dynamic);

    private static AllocationResult Static(IpamService ipam, string subnet, string owner, params string[] addresses) =>
        ipam.Allocate(subnet, Owner(owner), AddressRequest.Static([.. addresses.Select(Ip)]));

    [Test]
    public void Seed_Subnet_Status_Matches_Kube_Ovn()
    {
        var ipam = With(Seed());
        var v4 = ipam.GetStatus("attach-subnet")!.V4!;
        v4.Available.Should().Be((UInt128)65524);
        v4.Using.Should().Be(UInt128.Zero);
        v4.AvailableRange.Should().Be("172.18.0.11-172.18.255.254");
        v4.UsingRange.Should().BeEmpty();
        ipam.GetStatus("attach-subnet")!.V6.Should().BeNull();
    }

    [Test]
    public void Allocates_Lowest_Free_Address_Outside_Excludes()
    {
        var ipam = With(Seed());
        Dynamic(ipam, "attach-subnet", "a").Addresses().Should().Equal("172.18.0.11");
        Dynamic(ipam, "attach-subnet", "b").Addresses().Should().Equal("172.18.0.12");
        Static(ipam, "attach-subnet", "c", "172.18.0.13").Addresses().Should().Equal("172.18.0.13");
        Dynamic(ipam, "attach-subnet", "d").Addresses().Should().Equal("172.18.0.14");
        ipam.Release(Owner("b")).Should().NotBeNull();
        Dynamic(ipam, "attach-subnet", "e").Addresses().Should().Equal("172.18.0.12");
        var status = ipam.GetStatus("attach-subnet")!.V4!;
        status.Using.Should().Be((UInt128)4);
        status.Available.Should().Be((UInt128)65520);
        status.UsingRange.Should().Be("172.18.0.11-172.18.0.14");
        status.AvailableRange.Should().Be("172.18.0.15-172.18.255.254");
    }

    [Test]
    public void Reallocating_For_The_Same_Owner_Is_Idempotent()
    {
        var ipam = With(Seed());
        Dynamic(ipam, "attach-subnet", "a").Addresses().Should().Equal("172.18.0.11");
        var again = Dynamic(ipam, "attach-subnet", "a").Should().BeOfType<AllocationResult.Allocated>().Subject;
        again.Addresses.Select(a => a.ToString()).Should().Equal("172.18.0.11");
        again.Changed.Should().BeFalse();
        Static(ipam, "attach-subnet", "a", "172.18.0.11").Should().BeOfType<AllocationResult.Allocated>()
            .Which.Changed.Should().BeFalse();
        ipam.HolderCount.Should().Be(1);
    }

    [Test]
    public void A_Changed_Static_Request_Moves_The_Owner_And_Frees_The_Old_Address()
    {
        var ipam = With(Seed());
        Dynamic(ipam, "attach-subnet", "a").Addresses().Should().Equal("172.18.0.11");
        Static(ipam, "attach-subnet", "a", "172.18.0.18").Addresses().Should().Equal("172.18.0.18");
        ipam.HolderOf("attach-subnet", Ip("172.18.0.11")).Should().BeNull();
        Dynamic(ipam, "attach-subnet", "b").Addresses().Should().Equal("172.18.0.11");
    }

    [Test]
    public void A_Failed_Request_Leaves_The_Current_Holding_In_Place()
    {
        var ipam = With(Seed());
        Static(ipam, "attach-subnet", "a", "172.18.0.20");
        Static(ipam, "attach-subnet", "b", "172.18.0.30");
        Static(ipam, "attach-subnet", "a", "172.18.0.30").Should().BeOfType<AllocationResult.Conflict>()
            .Which.Holder.Should().Be(Owner("b"));
        ipam.Lookup(Owner("a"))!.Addresses.Select(a => a.ToString()).Should().Equal("172.18.0.20");
    }

    [Test]
    public void A_Recreated_Service_Replaces_Its_Predecessor()
    {
        var ipam = With(Seed());
        Static(ipam, "attach-subnet", "a", "172.18.0.50");
        var recreated = Owner("a", "uid-new");
        ipam.Allocate("attach-subnet", recreated, AddressRequest.Dynamic).Addresses().Should().Equal("172.18.0.11");
        ipam.HolderOf("attach-subnet", Ip("172.18.0.50")).Should().BeNull();
        ipam.Release(Owner("a")).Should().BeNull("the old uid no longer holds anything");
        ipam.Lookup(recreated).Should().NotBeNull();
    }

    [Test]
    public void Static_Request_May_Name_An_Excluded_Address()
    {
        var ipam = With(Seed());
        Static(ipam, "attach-subnet", "a", "172.18.0.5").Addresses().Should().Equal("172.18.0.5");
        var status = ipam.GetStatus("attach-subnet")!.V4!;
        status.Using.Should().Be(UInt128.Zero, "Kube-OVN does not count addresses inside excludeIps as using");
        status.Available.Should().Be((UInt128)65524);
        ipam.Release(Owner("a"));
        Dynamic(ipam, "attach-subnet", "b").Addresses().Should().ContainSingle("a released excluded address stays excluded")
            .Which.Should().Be("172.18.0.11");
    }

    [Test]
    public void Static_Request_For_The_Gateway_Is_A_Conflict()
    {
        var ipam = With(Seed());
        var conflict = Static(ipam, "attach-subnet", "a", "172.18.0.1").Should().BeOfType<AllocationResult.Conflict>().Subject;
        conflict.Holder.Should().BeNull();
        conflict.Message.Should().Be("172.18.0.1 is the gateway of subnet attach-subnet and cannot be handed out");
    }

    [TestCase("172.18.0.0", "it is the network address of 172.18.0.0/16; use an address of 172.18.0.1-172.18.255.254")]
    [TestCase("172.18.255.255", "it is the broadcast address of 172.18.0.0/16; use an address of 172.18.0.1-172.18.255.254")]
    [TestCase("172.19.0.1", "it is not inside 172.18.0.0/16; use an address of 172.18.0.1-172.18.255.254")]
    [TestCase("fd00::1", "the subnet has no IPv6 CIDR (cidrBlock 172.18.0.0/16)")]
    public void Static_Request_Outside_The_Usable_Range_Is_Out_Of_Range(string address, string reason)
    {
        var ipam = With(Seed());
        var result = Static(ipam, "attach-subnet", "a", address).Should().BeOfType<AllocationResult.OutOfRange>().Subject;
        result.Reason.Should().Be(reason);
        result.Message.Should().StartWith($"{address} cannot be taken from subnet attach-subnet: ");
    }

    [Test]
    public void Static_Request_Held_By_Another_Owner_Is_A_Conflict()
    {
        var ipam = With(Seed());
        Static(ipam, "attach-subnet", "a", "172.18.0.18");
        Static(ipam, "attach-subnet", "b", "172.18.0.18").Should().BeOfType<AllocationResult.Conflict>()
            .Which.Message.Should().Be("172.18.0.18 of subnet attach-subnet is held by Service default/a");
    }

    [Test]
    public void Two_Addresses_Of_One_Family_Are_Invalid()
    {
        var ipam = With(Seed());
        Static(ipam, "attach-subnet", "a", "172.18.0.18", "172.18.0.19").Should().BeOfType<AllocationResult.Invalid>()
            .Which.Reason.Should().Contain("at most one address per family");
    }

    [Test]
    public void Unknown_Subnet_Is_Reported()
    {
        Dynamic(new IpamService(), "nope", "a").Should().BeOfType<AllocationResult.SubnetNotFound>()
            .Which.Message.Should().Contain("subnet nope");
    }

    [Test]
    public void Slash_30_Has_One_Address_Besides_The_Gateway()
    {
        var ipam = With(Define("s", "10.0.0.0/30"));
        ipam.GetStatus("s")!.V4!.Available.Should().Be(UInt128.One);
        Dynamic(ipam, "s", "a").Addresses().Should().Equal("10.0.0.2");
        Dynamic(ipam, "s", "b").Should().BeOfType<AllocationResult.Exhausted>()
            .Which.Message.Should().Be("subnet s has no free IPv4 address left outside spec.excludeIps");
        ipam.GetStatus("s")!.V4!.Should().Be(new FamilyUsage(UInt128.Zero, UInt128.One, "", "10.0.0.2"));
    }

    [Test]
    public void Slash_31_And_Slash_127_Use_Both_Addresses()
    {
        var v4 = With(Define("s", "10.0.0.0/31"));
        Dynamic(v4, "s", "a").Addresses().Should().Equal("10.0.0.1");
        Dynamic(v4, "s", "b").Should().BeOfType<AllocationResult.Exhausted>();
        var v6 = With(Define("s", "fd00::/127", "fd00::1"));
        Dynamic(v6, "s", "a").Addresses().Should().Equal("fd00::");
    }

    [Test]
    public void Ipv6_Slash_120_Hands_Out_253_Addresses()
    {
        var ipam = With(Define("s", "fd00::/120"));
        ipam.GetStatus("s")!.V6!.Available.Should().Be((UInt128)253);
        for (var i = 0; i < 253; i++)
        {
            Dynamic(ipam, "s", $"svc-{i}").Should().BeOfType<AllocationResult.Allocated>();
        }

        Dynamic(ipam, "s", "one-more").Should().BeOfType<AllocationResult.Exhausted>().Which.Family.Should().Be(AddressFamily.InterNetworkV6);
        ipam.GetStatus("s")!.V6!.UsingRange.Should().Be("fd00::2-fd00::fe");
    }

    [Test]
    public void Ipv6_Slash_64_Costs_What_A_Small_Subnet_Costs()
    {
        var ipam = With(Define("s", "fd00::/64"));
        Dynamic(ipam, "s", "a").Addresses().Should().Equal("fd00::2");
        var status = ipam.GetStatus("s")!.V6!;
        status.Available.Should().Be((UInt128.One << 64) - 4, "2^64-2 usable, minus the gateway, minus fd00::2");
        status.AvailableRange.Should().Be("fd00::3-fd00::ffff:ffff:ffff:fffe");
        var entity = new V1SubnetStatus();
        ipam.GetStatus("s")!.WriteTo(entity);
        entity.V6AvailableIPs.Should().Be(18446744073709551612m);
        entity.V4AvailableIPs.Should().Be(0m);
        entity.V4AvailableIPRange.Should().BeEmpty();
    }

    [Test]
    public void Dual_Stack_Gives_One_Address_Of_Each_Family()
    {
        var ipam = With(Define("d", "10.0.0.0/24,fd00::/120"));
        Dynamic(ipam, "d", "a").Addresses().Should().Equal("10.0.0.2", "fd00::2");
        Static(ipam, "d", "b", "fd00::80").Addresses().Should().Equal("10.0.0.3", "fd00::80");
        Static(ipam, "d", "c", "10.0.0.9", "fd00::9").Addresses().Should().Equal("10.0.0.9", "fd00::9");
        var status = ipam.GetStatus("d")!;
        status.V4!.Using.Should().Be((UInt128)3);
        status.V6!.Using.Should().Be((UInt128)3);
        status.V6.UsingRange.Should().Be("fd00::2,fd00::9,fd00::80");
    }

    [Test]
    public void Dual_Stack_Exhaustion_Of_One_Family_Allocates_Nothing()
    {
        var ipam = With(Define("d", "10.0.0.0/30,fd00::/120"));
        Dynamic(ipam, "d", "a").Addresses().Should().Equal("10.0.0.2", "fd00::2");
        Dynamic(ipam, "d", "b").Should().BeOfType<AllocationResult.Exhausted>().Which.Family.Should().Be(AddressFamily.InterNetwork);
        ipam.HolderOf("d", Ip("fd00::3")).Should().BeNull();
    }

    [Test]
    public void Excludes_At_Both_Edges_Are_Skipped()
    {
        var ipam = With(Define("s", "10.0.0.0/29", null, "10.0.0.0..10.0.0.2", "10.0.0.6..10.0.0.7"));
        ipam.GetStatus("s")!.V4!.AvailableRange.Should().Be("10.0.0.3-10.0.0.5");
        Dynamic(ipam, "s", "a").Addresses().Should().Equal("10.0.0.3");
        Dynamic(ipam, "s", "b").Addresses().Should().Equal("10.0.0.4");
        Dynamic(ipam, "s", "c").Addresses().Should().Equal("10.0.0.5");
        Dynamic(ipam, "s", "d").Should().BeOfType<AllocationResult.Exhausted>();
        Static(ipam, "s", "d", "10.0.0.6").Addresses().Should().Equal("10.0.0.6");
    }

    [Test]
    public void Exclude_Edit_Keeps_The_Holder_And_Reports_The_Overlap()
    {
        var ipam = With(Seed());
        Dynamic(ipam, "attach-subnet", "a").Addresses().Should().Equal("172.18.0.11");
        var change = ipam.ApplySubnet(Define("attach-subnet", "172.18.0.0/16", "172.18.0.1", "172.18.0.0..172.18.0.20"));
        var overlap = change.Should().BeOfType<SubnetChange.Accepted>().Which.Overlaps.Should().ContainSingle().Subject;
        overlap.Should().Be(new HeldAddressOverlap("attach-subnet", Owner("a"), Ip("172.18.0.11"), HeldAddressOverlapKind.ExcludeIps));
        overlap.ToString().Should().Be("172.18.0.11 is in spec.excludeIps of subnet attach-subnet but Service default/a holds it");
        ipam.Lookup(Owner("a"))!.Addresses.Select(a => a.ToString()).Should().Equal("172.18.0.11");
        Dynamic(ipam, "attach-subnet", "b").Addresses().Should().Equal("172.18.0.21");
    }

    [Test]
    public void Gateway_Edit_Keeps_The_Holder_And_Reports_The_Overlap()
    {
        var ipam = With(Seed());
        Dynamic(ipam, "attach-subnet", "a").Addresses().Should().Equal("172.18.0.11");
        var change = ipam.ApplySubnet(Define("attach-subnet", "172.18.0.0/16", "172.18.0.11", "172.18.0.0..172.18.0.10"));
        change.Should().BeOfType<SubnetChange.Accepted>().Which.Overlaps.Should().Equal(
            new HeldAddressOverlap("attach-subnet", Owner("a"), Ip("172.18.0.11"), HeldAddressOverlapKind.Gateway));
        ipam.Release(Owner("a"));
        Dynamic(ipam, "attach-subnet", "b").Addresses().Should().ContainSingle("the new gateway is never handed out")
            .Which.Should().Be("172.18.0.12");
        ipam.GetStatus("attach-subnet")!.V4!.AvailableRange.Should().StartWith("172.18.0.13-");
    }

    [Test]
    public void Cidr_Change_Is_Refused_While_Addresses_Are_Held()
    {
        var ipam = With(Seed());
        Dynamic(ipam, "attach-subnet", "a");
        var refused = ipam.ApplySubnet(Define("attach-subnet", "172.19.0.0/16")).Should().BeOfType<SubnetChange.Refused>().Subject;
        refused.Reason.Should().Be("spec.cidrBlock of subnet attach-subnet cannot change from 172.18.0.0/16 to 172.19.0.0/16 " +
            "while 1 Service(s) hold addresses from it (default/a holds 172.18.0.11); delete or move those Services first");
        ipam.GetSubnet("attach-subnet")!.CidrBlock.Should().Be("172.18.0.0/16");
        ipam.Release(Owner("a"));
        ipam.ApplySubnet(Define("attach-subnet", "172.19.0.0/16")).Should().BeOfType<SubnetChange.Accepted>();
        Dynamic(ipam, "attach-subnet", "a").Addresses().Should().Equal("172.19.0.2");
    }

    [Test]
    public void Subnet_Removal_Waits_For_Its_Holders()
    {
        var ipam = With(Seed());
        Dynamic(ipam, "attach-subnet", "a");
        ipam.RemoveSubnet("attach-subnet").Should().BeOfType<SubnetRemoval.Refused>().Which.Holders.Should().ContainSingle();
        ipam.Release(Owner("a"));
        ipam.RemoveSubnet("attach-subnet").Should().BeOfType<SubnetRemoval.Removed>();
        ipam.RemoveSubnet("attach-subnet").Should().BeOfType<SubnetRemoval.NotFound>();
    }

    [Test]
    public void Moving_To_Another_Subnet_Releases_The_Old_Address()
    {
        var ipam = With(Seed());
        ipam.ApplySubnet(Define("other", "10.0.0.0/24"));
        Dynamic(ipam, "attach-subnet", "a");
        Dynamic(ipam, "other", "a").Addresses().Should().Equal("10.0.0.2");
        ipam.Holders("attach-subnet").Should().BeEmpty();
        ipam.Holders("other").Should().ContainSingle().Which.Owner.Should().Be(Owner("a"));
    }

    [Test]
    public void Rebuild_Adopts_Records_Before_Serving_New_Requests()
    {
        var ipam = With(Seed());
        var t0 = DateTimeOffset.UnixEpoch;
        var report = ipam.Rebuild(
        [
            new RecordedAllocation(Owner("b"), "attach-subnet", [Ip("172.18.0.11")], t0.AddMinutes(2)),
            new RecordedAllocation(Owner("a"), "attach-subnet", [Ip("172.18.0.13")], t0.AddMinutes(1)),
        ]);
        report.Adopted.Select(h => h.Owner.Name).Should().Equal("a", "b");
        report.Conflicts.Should().BeEmpty();
        Dynamic(ipam, "attach-subnet", "c").Addresses().Should().Equal("172.18.0.12");
        Dynamic(ipam, "attach-subnet", "b").Addresses().Should().Equal("172.18.0.11");
        ipam.GetStatus("attach-subnet")!.V4!.UsingRange.Should().Be("172.18.0.11-172.18.0.13");
    }

    [Test]
    public void Rebuild_Conflict_Is_Won_By_The_Older_Holder()
    {
        var ipam = With(Seed());
        var t0 = DateTimeOffset.UnixEpoch;
        var report = ipam.Rebuild(
        [
            new RecordedAllocation(Owner("young"), "attach-subnet", [Ip("172.18.0.18")], t0.AddHours(1)),
            new RecordedAllocation(Owner("old"), "attach-subnet", [Ip("172.18.0.18")], t0),
        ]);
        var conflict = report.Conflicts.Should().ContainSingle().Subject;
        conflict.Holder.Should().Be(Owner("old"));
        conflict.Record.Owner.Should().Be(Owner("young"));
        conflict.ToString().Should().Be("172.18.0.18 of subnet attach-subnet is recorded for default/young and for the older default/old; default/old keeps it");
        ipam.HolderOf("attach-subnet", Ip("172.18.0.18")).Should().Be(Owner("old"));
        ipam.Lookup(Owner("young")).Should().BeNull();
    }

    [Test]
    public void Rebuild_Ties_Are_Broken_By_Key_Whatever_The_Input_Order()
    {
        var t0 = DateTimeOffset.UnixEpoch;
        RecordedAllocation[] records =
        [
            new(Owner("zeta"), "attach-subnet", [Ip("172.18.0.18")], t0),
            new(Owner("alpha"), "attach-subnet", [Ip("172.18.0.18")], t0),
        ];
        foreach (var order in new[] { records, records.Reverse().ToArray() })
        {
            var ipam = With(Seed());
            ipam.Rebuild(order);
            ipam.HolderOf("attach-subnet", Ip("172.18.0.18")).Should().Be(Owner("alpha"));
        }
    }

    [Test]
    public void Rebuild_Rejects_What_Cannot_Be_Held_And_Keeps_Excluded_Holdings()
    {
        var ipam = With(Seed());
        var t0 = DateTimeOffset.UnixEpoch;
        var report = ipam.Rebuild(
        [
            new RecordedAllocation(Owner("gone"), "no-such-subnet", [Ip("10.0.0.1")], t0),
            new RecordedAllocation(Owner("outside"), "attach-subnet", [Ip("10.0.0.1")], t0),
            new RecordedAllocation(Owner("network"), "attach-subnet", [Ip("172.18.0.0")], t0),
            new RecordedAllocation(Owner("excluded"), "attach-subnet", [Ip("172.18.0.5")], t0),
        ]);
        report.Rejected.Select(r => r.Record.Owner.Name).Should().Equal("gone", "network", "outside");
        report.Adopted.Should().ContainSingle().Which.Owner.Should().Be(Owner("excluded"));
        report.Overlaps.Should().ContainSingle().Which.Kind.Should().Be(HeldAddressOverlapKind.ExcludeIps);
    }

    [Test]
    public void Rebuild_Replaces_Previous_State()
    {
        var ipam = With(Seed());
        Dynamic(ipam, "attach-subnet", "a");
        ipam.Rebuild([]);
        ipam.HolderCount.Should().Be(0);
        ipam.GetStatus("attach-subnet")!.V4!.Available.Should().Be((UInt128)65524);
        Dynamic(ipam, "attach-subnet", "b").Addresses().Should().Equal("172.18.0.11");
    }

    [Test]
    public void Rebuild_Keeps_The_Older_Of_Two_Records_For_One_Service()
    {
        var ipam = With(Seed());
        var t0 = DateTimeOffset.UnixEpoch;
        var report = ipam.Rebuild(
        [
            new RecordedAllocation(Owner("a", "uid-new"), "attach-subnet", [Ip("172.18.0.20")], t0.AddDays(1)),
            new RecordedAllocation(Owner("a", "uid-old"), "attach-subnet", [Ip("172.18.0.30")], t0),
        ]);
        report.Conflicts.Should().ContainSingle().Which.ToString()
            .Should().Be("default/a (uid uid-new) is recorded twice; the older record (uid uid-old) was kept");
        ipam.Lookup(Owner("a", "uid-old"))!.Addresses.Should().Equal(Ip("172.18.0.30"));
        ipam.HolderOf("attach-subnet", Ip("172.18.0.20")).Should().BeNull();
    }

    [Test]
    public void Rebuild_Rejects_Two_Addresses_Of_One_Family_And_Empty_Records()
    {
        var ipam = With(Seed());
        var report = ipam.Rebuild(
        [
            new RecordedAllocation(Owner("two"), "attach-subnet", [Ip("172.18.0.20"), Ip("172.18.0.21")], DateTimeOffset.UnixEpoch),
            new RecordedAllocation(Owner("none"), "attach-subnet", [], DateTimeOffset.UnixEpoch),
        ]);
        report.Rejected.Select(r => r.ToString()).Should().Equal(
            "default/none: the record names no address",
            "default/two: the record names more than one IPv4 address");
        ipam.HolderCount.Should().Be(0);
    }

    [Test]
    public void Rebuild_Never_Adopts_The_Gateway_Network_Broadcast_Or_An_Address_Outside_The_Cidr()
    {
        var ipam = With(Define("d", "10.0.0.0/24,fd00::/120", "10.0.0.1,fd00::1"));
        var t0 = DateTimeOffset.UnixEpoch;
        var report = ipam.Rebuild(
        [
            new RecordedAllocation(Owner("gw4"), "d", [Ip("10.0.0.1")], t0),
            new RecordedAllocation(Owner("gw6"), "d", [Ip("10.0.0.20"), Ip("fd00::1")], t0),
            new RecordedAllocation(Owner("net"), "d", [Ip("10.0.0.0")], t0),
            new RecordedAllocation(Owner("bcast"), "d", [Ip("10.0.0.255")], t0),
            new RecordedAllocation(Owner("bcast6"), "d", [Ip("fd00::ff")], t0),
            new RecordedAllocation(Owner("outside"), "d", [Ip("10.0.1.5")], t0),
            new RecordedAllocation(Owner("ok"), "d", [Ip("10.0.0.2"), Ip("fd00::2")], t0),
        ]);
        report.Rejected.Select(r => r.ToString()).Should().Equal(
            "default/bcast: 10.0.0.255 is the broadcast address of 10.0.0.0/24 in subnet d",
            "default/bcast6: fd00::ff is the broadcast address of fd00::/120 in subnet d",
            "default/gw4: 10.0.0.1 is the gateway of subnet d",
            "default/gw6: fd00::1 is the gateway of subnet d",
            "default/net: 10.0.0.0 is the network address of 10.0.0.0/24 in subnet d",
            "default/outside: 10.0.1.5 is outside 10.0.0.0/24, the IPv4 CIDR of subnet d");
        report.Adopted.Should().ContainSingle().Which.Owner.Should().Be(Owner("ok"));
        report.Overlaps.Should().BeEmpty();
        ipam.HolderOf("d", Ip("10.0.0.1")).Should().BeNull();
        ipam.HolderOf("d", Ip("10.0.0.20")).Should().BeNull("a record is adopted whole or not at all");
        ipam.GetStatus("d")!.V4!.Using.Should().Be(UInt128.One);
    }

    [Test]
    public void Rebuild_Gives_An_Operator_Record_Precedence_Over_Older_Annotation_And_Gateway_Claims()
    {
        var ipam = With(Seed());
        var t0 = DateTimeOffset.UnixEpoch;
        var report = ipam.Rebuild(
        [
            new RecordedAllocation(Owner("forger"), "attach-subnet", [Ip("172.18.0.18")], t0, RecordSource.ServiceAnnotation),
            new RecordedAllocation(Owner("deployment"), "attach-subnet", [Ip("172.18.0.18")], t0, RecordSource.GatewayDeployment),
            new RecordedAllocation(Owner("holder"), "attach-subnet", [Ip("172.18.0.18")], t0.AddDays(30)),
            new RecordedAllocation(Owner("legacy"), "attach-subnet", [Ip("172.18.0.19")], t0.AddDays(1), RecordSource.ServiceAnnotation),
            new RecordedAllocation(Owner("older-gateway"), "attach-subnet", [Ip("172.18.0.19")], t0, RecordSource.GatewayDeployment),
        ]);
        ipam.HolderOf("attach-subnet", Ip("172.18.0.18")).Should().Be(Owner("holder"), "only the operator writes its records; annotations can be forged");
        ipam.HolderOf("attach-subnet", Ip("172.18.0.19")).Should().Be(Owner("legacy"), "an annotation outranks what a Deployment says, whatever the age");
        report.Conflicts.Select(c => c.ToString()).Should().Equal(
            "172.18.0.18 of subnet attach-subnet is claimed for default/forger by the Service's lboperator.io/allocated-addresses annotation, " +
            "but the operator's IpAllocation record gives it to default/holder; default/holder keeps it",
            "172.18.0.18 of subnet attach-subnet is claimed for default/deployment by its gateway Deployment's pod template, " +
            "but the operator's IpAllocation record gives it to default/holder; default/holder keeps it",
            "172.18.0.19 of subnet attach-subnet is claimed for default/older-gateway by its gateway Deployment's pod template, " +
            "but the Service's lboperator.io/allocated-addresses annotation gives it to default/legacy; default/legacy keeps it");
    }

    [Test]
    public void A_Partly_Recorded_Dual_Stack_Holder_Gets_The_Missing_Family_And_Keeps_The_Other()
    {
        var ipam = With(Define("d", "10.0.0.0/24,fd00::/120"));
        ipam.Rebuild([new RecordedAllocation(Owner("a"), "d", [Ip("10.0.0.77")], DateTimeOffset.UnixEpoch)]);
        Dynamic(ipam, "d", "a").Addresses().Should().Equal("10.0.0.77", "fd00::2");
    }

    [Test]
    public void Status_Is_Written_Into_The_Subnet_With_Kube_Ovn_Names()
    {
        var ipam = With(Define("d", "10.0.0.0/24,fd00::/120"));
        Dynamic(ipam, "d", "a");
        var status = new V1SubnetStatus();
        ipam.GetStatus("d")!.WriteTo(status);
        status.V4AvailableIPs.Should().Be(252m);
        status.V4UsingIPs.Should().Be(1m);
        status.V4UsingIPRange.Should().Be("10.0.0.2");
        status.V4AvailableIPRange.Should().Be("10.0.0.3-10.0.0.254");
        status.V6AvailableIPs.Should().Be(252m);
        status.V6UsingIPRange.Should().Be("fd00::2");
        status.V6AvailableIPRange.Should().Be("fd00::3-fd00::fe");
    }

    [Test]
    public void Unknown_Subnet_Has_No_Status_And_No_Holders()
    {
        var ipam = new IpamService();
        ipam.GetStatus("nope").Should().BeNull();
        ipam.Holders("nope").Should().BeEmpty();
        ipam.HolderOf("nope", Ip("10.0.0.1")).Should().BeNull();
    }
}
