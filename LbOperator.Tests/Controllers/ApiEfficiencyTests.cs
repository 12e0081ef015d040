using System.Diagnostics;
using k8s.Models;
using LbOperator.Composition;
using LbOperator.Controllers;
using LbOperator.Entities;
using LbOperator.LoadBalancing;
using LbOperator.Sandbox.Requests;

namespace LbOperator.Tests.Controllers;

/// <summary>
/// What the operator asks of the API server, counted by the sandbox per user agent: reconciles read only from the
/// watch caches, a new Service costs its four writes and two Events, a restart over settled Services costs nothing
/// but the initial LISTs and WATCHes, and Subnet status writes are coalesced.
/// </summary>
[Category("Sandbox")]
public sealed class ApiEfficiencyTests : OperatorTestBase
{
    private static readonly string[] Reads = ["get", "list", "watch"];

    [Test]
    public async Task A_New_Service_Costs_Four_Writes_Two_Events_And_No_Reads()
    {
        await CreateNadAsync();
        await CreateSubnetAsync("a");
        await SettledAsync();
        Sandbox.Requests.Reset();

        await CreateServiceAsync(LbService("web"));
        await ServedAsync("web");
        var requests = await SettledAsync();

        Count(requests, "get").Should().Be(0, "a reconcile reads from the watch caches");
        Count(requests, "list").Should().Be(0);
        Count(requests, "create", "ipallocations").Should().Be(1, "the record");
        Count(requests, "update", "services").Should().Be(1, "the finalizer");
        Count(requests, "create", "deployments").Should().Be(1, "the gateway");
        Count(requests, "update", "services/status").Should().Be(1, "the ingress and the Ready condition together, once the gateway is ready");
        Count(requests, "create", "events").Should().Be(2, "AddressAllocated and GatewayReady");
        Count(requests, "update", "subnets/status").Should().BeLessThanOrEqualTo(1, "the Subnet's figures");
        requests.Where(r => !Reads.Contains(r.Verb)).Sum(r => r.Count).Should().BeLessThanOrEqualTo(7, "nothing else is written");
        (await EventsAboutAsync("web")).Select(e => e.Reason).Should().BeEquivalentTo(EventReasons.AddressAllocated, EventReasons.GatewayReady);
    }

    [Test]
    public async Task A_Restart_Over_Settled_Services_Writes_Nothing_And_Makes_No_GET()
    {
        await CreateNadAsync();
        await CreateSubnetAsync("a");
        for (var i = 0; i < 12; i++)
        {
            await CreateServiceAsync(LbService($"svc-{i:D2}"));
        }

        var before = new Dictionary<string, string>();
        for (var i = 0; i < 12; i++)
        {
            before[$"svc-{i:D2}"] = await ServedAsync($"svc-{i:D2}");
        }

        await SettledAsync();
        await StopOperatorAsync();
        Sandbox.Requests.Reset();
        await StartOperatorAsync();
        var requests = await SettledAsync();

        // No Kube-OVN here: not even the one look at kube-ovn-controller a start makes beside it.
        Count(requests, "get").Should().Be(0, "every Service is verified from the caches the initial LISTs filled");
        requests.Where(r => !Reads.Contains(r.Verb)).Should().BeEmpty("a settled cluster needs no write");
        Count(requests, "list").Should().BeGreaterThan(0, "the caches are filled by LISTs");
        foreach (var (name, address) in before)
        {
            Ingress(await GetServiceAsync(name)).Should().Equal(address);
        }
    }

    [Test]
    public async Task Subnet_Status_Writes_Are_Coalesced_During_A_Burst_And_Exact_After_It()
    {
        await CreateNadAsync();
        var subnet = await CreateSubnetAsync("a");
        var available = (await Eventually(() => Client.GetAsync<V1Subnet>(subnet.Metadata.Name), s => s!.Status?.V4AvailableIPs > 0, "the Subnet's figures"))!
            .Status!.V4AvailableIPs;
        await SettledAsync();
        Sandbox.Requests.Reset();

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => CreateServiceAsync(LbService($"burst-{i:D2}"))));
        await Eventually(() => Client.GetAsync<V1Subnet>(subnet.Metadata.Name), s => s!.Status?.V4UsingIPs == 40, "the Subnet to count 40 holders", 30);
        var seconds = clock.Elapsed.TotalSeconds;
        var requests = await SettledAsync();

        var statusWrites = Count(requests, "update", "subnets/status");
        statusWrites.Should().BeGreaterThan(0);
        statusWrites.Should().BeLessThanOrEqualTo((int)Math.Ceiling(seconds / SubnetStatusWriter.MinimumInterval.TotalSeconds) + 1,
            $"at most one write per {SubnetStatusWriter.MinimumInterval.TotalMilliseconds} ms over the {seconds:F1} s the burst took, for 40 allocations");
        var settled = await Client.GetAsync<V1Subnet>(subnet.Metadata.Name);
        settled!.Status!.V4UsingIPs.Should().Be(40);
        settled.Status.V4AvailableIPs.Should().Be(available - 40);
    }

    [Test]
    public async Task A_Repeated_Warning_Is_Counted_On_One_Event_Without_Reading_It()
    {
        // No Subnet for the provider: the reconcile fails with the same Warning at every retry.
        await CreateNadAsync();
        Sandbox.Requests.Reset();
        await CreateServiceAsync(LbService("lonely"));

        var warning = await Eventually(
            async () => (await EventsAboutAsync("lonely")).FirstOrDefault(e => e.Type == "Warning"), e => e?.Count >= 3, "the Warning to repeat", 20);
        (await EventsAboutAsync("lonely")).Where(e => e.Reason == warning!.Reason).Should().ContainSingle("repeats count on one Event");
        var requests = Operator(Sandbox.Requests.Snapshot());
        Count(requests, "get", "events").Should().Be(0);
        Count(requests, "patch", "events").Should().BeGreaterThanOrEqualTo(2);

        // The fixture's other tests count the operator's requests: this Service's retries must stop.
        await Client.DeleteAsync<V1Service>("lonely", Ns);
        await Eventually(() => Client.GetAsync<V1Service>("lonely", Ns), s => s is null, "the Service to be gone");
        await SettledAsync();
    }

    /// <summary>Waits until the Service shows one ingress address; returns it.</summary>
    private async Task<string> ServedAsync(string name) =>
        Ingress(await Eventually(() => GetServiceAsync(name), s => Ingress(s).Count == 1, $"Service {name} to show its address")).Single();

    /// <summary>Waits until the operator made no request for a second and a half; returns its requests since the last reset.</summary>
    private async Task<IReadOnlyList<RequestCount>> SettledAsync()
    {
        long last = -1;
        var quietSince = Stopwatch.StartNew();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            var total = Operator(Sandbox.Requests.Snapshot()).Sum(r => r.Count);
            if (total != last)
            {
                last = total;
                quietSince.Restart();
            }
            else if (quietSince.Elapsed > TimeSpan.FromSeconds(1.5))
            {
                return Operator(Sandbox.Requests.Snapshot());
            }

            await Task.Delay(100);
        }

        throw new AssertionException("the operator kept making requests for 30 s");
    }

    private static List<RequestCount> Operator(IReadOnlyList<RequestCount> requests) =>
        [.. requests.Where(r => r.UserAgent == OperatorComposition.OperatorName)];

    private static int Count(IReadOnlyList<RequestCount> requests, string verb, string? resource = null) =>
        (int)requests.Where(r => r.Verb == verb && (resource is null || r.Resource == resource)).Sum(r => r.Count);
}
