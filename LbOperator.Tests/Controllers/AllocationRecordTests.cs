using System.Net;
using k8s.Models;
using LbOperator.Controllers;
using LbOperator.Entities;
using LbOperator.Framework.Builder;
using LbOperator.Framework.Entities;
using LbOperator.Ipam;
using LbOperator.LoadBalancing;
using LbOperator.Sandbox.Faults;
using Microsoft.Extensions.DependencyInjection;

namespace LbOperator.Tests.Controllers;

/// <summary>
/// The allocation record is the operator's own IpAllocation objects, out of a tenant's reach: what a tenant writes on
/// a Service never takes an address after a restart, the router's address is never adopted, the records of the
/// annotation version are taken over once, and no address is lost when a record cannot be written.
/// </summary>
[NonParallelizable]
[Category("Sandbox")]
public sealed class AllocationRecordTests : OperatorTestBase
{
    private static readonly TimeSpan Resync = TimeSpan.FromSeconds(2);

    protected override void ConfigureOperator(OperatorSettingsBuilder settings) => settings.WithResyncPeriod(Resync);

    private Task<V1Subnet> WaitForSubnetAsync(Func<V1Subnet, bool> condition, string what) =>
        Eventually(async () => (await Client.GetAsync<V1Subnet>(SubnetName("a")))!, condition, what);

    private IpamState Ipam => OperatorServices.GetRequiredService<IpamState>();

    /// <summary>The record annotations of the previous version, as it wrote them (or as a tenant forges them).</summary>
    private void Annotate(V1Service service, string addresses)
    {
        service.Metadata.Annotations[ServiceRecord.AllocatedSubnet] = SubnetName("a");
        service.Metadata.Annotations[ServiceRecord.AllocatedAddresses] = addresses;
    }

    [Test]
    public async Task Forged_Annotations_Take_No_Recorded_Address_And_Never_The_Gateway()
    {
        await CreateNadAsync();
        await CreateSubnetAsync("a");
        // The tenant's Services exist before the victim (and sort before it): the older claim won in the annotation version.
        foreach (var name in new[] { "forger", "router" })
        {
            var service = LbService(name);
            service.Spec.Type = "ClusterIP";
            await CreateServiceAsync(service);
        }

        await CreateServiceAsync(LbService("victim"));
        await WaitForIngressAsync("victim", "192.168.10.11");
        await Eventually(RecordedAsync, r => r.SequenceEqual(["192.168.10.11=victim"]), "the victim's record");

        // While the operator is away, whoever can edit Services claims the victim's address and the router's.
        await StopOperatorAsync();
        await EditServiceAsync("forger", s =>
        {
            s.Spec.Type = "LoadBalancer";
            Annotate(s, "192.168.10.11");
        });
        await EditServiceAsync("router", s =>
        {
            s.Spec.Type = "LoadBalancer";
            s.Spec.LoadBalancerIP = "192.168.10.1";
            Annotate(s, "192.168.10.1");
        });
        await StartOperatorAsync();

        await WaitForIngressAsync("forger", "192.168.10.12");
        Ingress(await GetServiceAsync("victim")).Should().Equal("192.168.10.11");
        (await WaitForEventAsync("forger", EventReasons.RecordRefused)).Message.Should()
            .Contain("192.168.10.11").And.Contain("annotation").And.Contain("victim keeps it");
        (await WaitForEventAsync("router", EventReasons.RecordRefused)).Message.Should().Contain("192.168.10.1 is the gateway of subnet");
        await WaitForEventAsync("router", EventReasons.AddressConflict);
        (await GetGatewayAsync("router")).Should().BeNull("no gateway pod may put the router's address on net1");
        await Eventually(RecordedAsync, r => r.SequenceEqual(["192.168.10.11=victim", "192.168.10.12=forger"]), "one record per held address");

        // The forger holds an address again, so only the router's refused record is still reported.
        var subnet = await WaitForSubnetAsync(
            s => ConditionList.Find(s.Status?.Conditions, HoldingSweep.RecordsAdopted) is { Status: "False" } c
                && !c.Message.Contains("forger", StringComparison.Ordinal) && s.Status?.V4UsingIPs == 2,
            "the Subnet to report the refused record of the router");
        var condition = ConditionList.Find(subnet.Status!.Conditions, HoldingSweep.RecordsAdopted)!;
        condition.Reason.Should().Be(EventReasons.RecordRefused);
        condition.Message.Should().Contain("router").And.Contain("192.168.10.1 is the gateway");
        await WaitForEventAsync(SubnetName("a"), EventReasons.RecordRefused, "default");
        (await GetServiceAsync("forger")).Metadata.Annotations.Should().NotContainKey(ServiceRecord.AllocatedAddresses);
    }

    [Test]
    public async Task Records_Of_The_Annotation_Version_Are_Checked_Adopted_Once_And_Migrated()
    {
        await CreateNadAsync();
        await CreateSubnetAsync("a");
        await StopOperatorAsync();
        // As the previous version left its Services: the allocation recorded only in the Service's annotations.
        foreach (var (name, recorded) in new[] { ("old-a", "192.168.10.50"), ("old-b", "192.168.10.60"), ("old-dup", "192.168.10.50"), ("old-gw", "192.168.10.1") })
        {
            var service = LbService(name);
            Annotate(service, recorded);
            await CreateServiceAsync(service);
        }

        await StartOperatorAsync();
        await WaitForIngressAsync("old-a", "192.168.10.50");
        await WaitForIngressAsync("old-b", "192.168.10.60");
        var dup = await Eventually(() => GetServiceAsync("old-dup"), s => Ingress(s).Count == 1, "old-dup to be served");
        var gw = await Eventually(() => GetServiceAsync("old-gw"), s => Ingress(s).Count == 1, "old-gw to be served");
        new[] { Ingress(dup)[0], Ingress(gw)[0] }.Order().Should().Equal("192.168.10.11", "192.168.10.12");
        await Eventually(RecordedAsync, r => r.Count == 4, "four records");
        (await RecordedAsync()).Should().Contain(["192.168.10.50=old-a", "192.168.10.60=old-b"]);
        foreach (var name in new[] { "old-a", "old-b", "old-dup", "old-gw" })
        {
            (await Eventually(() => GetServiceAsync(name), s => !s.Metadata.Annotations.ContainsKey(ServiceRecord.AllocatedAddresses),
                $"{name}'s annotations to be removed")).Metadata.Annotations.Should().NotContainKey(ServiceRecord.AllocatedSubnet);
        }

        await WaitForEventAsync("old-a", EventReasons.RecordMigrated);
        (await WaitForEventAsync("old-dup", EventReasons.RecordRefused)).Message.Should().Contain("old-a keeps it");
        (await WaitForEventAsync("old-gw", EventReasons.RecordRefused)).Message.Should().Contain("is the gateway");

        // Migrated: an annotation written afterwards is not a record any more, whatever it says.
        await StopOperatorAsync();
        await EditServiceAsync("old-b", s => Annotate(s, "192.168.10.77"));
        await StartOperatorAsync();
        await Eventually(() => GetServiceAsync("old-b"), s => !s.Metadata.Annotations.ContainsKey(ServiceRecord.AllocatedAddresses),
            "the forged annotation to be removed");
        Ingress(await GetServiceAsync("old-b")).Should().Equal("192.168.10.60");
        (await RecordedAsync()).Should().Contain("192.168.10.60=old-b").And.NotContain(r => r.StartsWith("192.168.10.77", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_Deleted_Record_Is_Written_Again_By_Its_Service()
    {
        await CreateNadAsync();
        await CreateSubnetAsync("a");
        await CreateServiceAsync(LbService("web"));
        await WaitForIngressAsync("web", "192.168.10.11");
        var record = (await Eventually(RecordsAsync, r => r.Count == 1, "the record")).Single();

        await Client.DeleteAsync<V1IpAllocation>(record.Metadata.Name);
        var again = await Eventually(RecordsAsync, r => r.Count == 1 && r[0].Metadata.Uid != record.Metadata.Uid, "the record to be written again");
        again[0].Metadata.Name.Should().Be(record.Metadata.Name);
        again[0].Spec.Service!.Uid.Should().Be((await GetServiceAsync("web")).Metadata.Uid);
    }

    [Test]
    public async Task A_Record_Whose_Service_Is_Gone_Is_Deleted_And_Its_Address_Handed_Out_Again()
    {
        await CreateNadAsync();
        await CreateSubnetAsync("a");
        await StopOperatorAsync();
        // Left behind by a Service deleted while the operator was away (a cluster-scoped record has no owner reference).
        await Client.CreateAsync(AllocationRecords.Build(new IpamOwner(Ns, "gone", "uid-of-a-deleted-service"), SubnetName("a"), IPAddress.Parse("192.168.10.11")));
        await Client.CreateAsync(AllocationRecords.Build(new IpamOwner(Ns, "also-gone", "uid-2"), SubnetName("a"), IPAddress.Parse("192.168.10.30")));
        await CreateServiceAsync(LbService("web"));
        await StartOperatorAsync();

        await WaitForIngressAsync("web", "192.168.10.11");
        await Eventually(RecordedAsync, r => r.SequenceEqual(["192.168.10.11=web"]), "only web's record to remain");
    }

    [Test]
    public async Task A_Service_That_Turns_Away_Before_Its_Record_Is_Written_Gives_Its_Address_Back()
    {
        await CreateNadAsync();
        await CreateSubnetAsync("a");
        Sandbox.Faults.FailWrites(new WriteFailure("ipallocations", "create", 1, 500));
        await CreateServiceAsync(LbService("web"));
        await Eventually(() => Task.FromResult(Ipam.Holders(SubnetName("a")).Count), n => n == 1, "the address to be held though not recorded");
        await Eventually(() => Task.FromResult(Sandbox.Faults.FailedWrites), n => n >= 1, "the record write to fail");

        await EditServiceAsync("web", s =>
        {
            s.Spec.Type = "ClusterIP";
            s.Spec.Ports[0].NodePort = null;
        });
        await Eventually(() => Task.FromResult(Ipam.Holders(SubnetName("a")).Count), n => n == 0, "the address to be given back");
        Sandbox.Faults.Reset();

        await CreateServiceAsync(LbService("next"));
        await WaitForIngressAsync("next", "192.168.10.11");
        var subnet = await WaitForSubnetAsync(s => s.Status?.V4UsingIPs == 1, "the Subnet to count one holder");
        subnet.Status!.V4UsingIPRange.Should().Be("192.168.10.11");
        (await RecordedAsync()).Should().Equal("192.168.10.11=next");
    }

    [Test]
    public async Task A_Holding_Whose_Service_Is_Gone_Is_Released_Within_A_Resync()
    {
        await CreateNadAsync();
        await CreateSubnetAsync("a");
        await WaitForSubnetAsync(s => s.Status?.V4AvailableIPs == 244, "the Subnet's figures");
        // A holding no Service stands behind (its deletion went unseen): nothing but the sweep would ever free it.
        var orphan = new IpamOwner(Ns, "gone", "uid-gone");
        Ipam.Allocate(Ipam.GetSubnet(SubnetName("a"))!, orphan, AddressRequest.Dynamic).Should().BeOfType<AllocationResult.Allocated>();

        await Eventually(() => Task.FromResult(Ipam.Lookup(orphan)), h => h is null, "the orphaned holding to be released", timeoutSeconds: 4 * Resync.TotalSeconds);
        (await WaitForEventAsync(SubnetName("a"), EventReasons.OrphanReleased, "default")).Message.Should().Contain("192.168.10.11").And.Contain("gone");
        await CreateServiceAsync(LbService("web"));
        await WaitForIngressAsync("web", "192.168.10.11");
        await WaitForSubnetAsync(s => s.Status?.V4UsingIPs == 1, "the Subnet to count one holder");
    }
}
