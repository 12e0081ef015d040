using System.Net;
using k8s;
using k8s.Models;
using LbOperator.Controllers;
using LbOperator.Entities;
using LbOperator.Finalizers;
using LbOperator.Framework.Builder;
using LbOperator.Sandbox.Faults;
using Microsoft.Extensions.DependencyInjection;

namespace LbOperator.Tests.Controllers;

/// <summary>
/// Write failures on each kind the operator writes (500 before the write, 500 after it, as when the answer is lost,
/// and 409), while Services are created, deleted, moved and turned away from LoadBalancer. After the faults stop and the operator settles: every address is held once, none is
/// lost, each held address has exactly one record naming its Service, and the Subnet's figures count exactly the holders.
/// </summary>
[NonParallelizable]
[Category("Sandbox")]
public sealed class WriteFailureTests : OperatorTestBase
{
    protected override void ConfigureOperator(OperatorSettingsBuilder settings) => settings.WithResyncPeriod(TimeSpan.FromSeconds(2));

    [TestCase("services")]
    [TestCase("services/status")]
    [TestCase("deployments")]
    [TestCase("subnets/status")]
    [TestCase("ipallocations")]
    [TestCase(null)]
    public async Task After_Write_Failures_Each_Address_Is_Held_Once_Recorded_Once_And_Counted(string? resource)
    {
        await CreateNadAsync();
        await CreateSubnetAsync("a");
        Sandbox.Faults.FailWrites(new WriteFailure(resource, null, 0.15, 500, AfterWrite: true));
        Sandbox.Faults.FailWrites(new WriteFailure(resource, null, 0.3, 500));
        Sandbox.Faults.FailWrites(new WriteFailure(resource, null, 0.2, 409));
        for (var i = 0; i < 10; i++)
        {
            await RetryAsync(() => CreateServiceAsync(LbService($"svc-{i}", loadBalancerIp: i % 3 == 0 ? $"192.168.10.{100 + i}" : null)),
                () => Client.GetAsync<V1Service>($"svc-{i}", Ns).ContinueWith(t => t.Result is not null, TaskScheduler.Default));
        }

        await RetryAsync(() => Client.DeleteAsync<V1Service>("svc-1", Ns));
        await RetryAsync(() => Client.DeleteAsync<V1Service>("svc-4", Ns));
        await RetryAsync(() => EditServiceAsync("svc-2", s =>
        {
            s.Spec.Type = "ClusterIP";
            s.Spec.Ports[0].NodePort = null;
        }));
        await RetryAsync(() => EditServiceAsync("svc-3", s => s.Spec.LoadBalancerIP = "192.168.10.150"));
        await Task.Delay(1500);
        var failed = Sandbox.Faults.FailedWrites;
        Sandbox.Faults.Reset();
        failed.Should().BeGreaterThan(0, "the faults were exercised");

        string[] served = ["svc-0", "svc-3", "svc-5", "svc-6", "svc-7", "svc-8", "svc-9"];
        var settled = await Eventually(SnapshotAsync, s => s.IsSettled(served), "the operator to settle", timeoutSeconds: 45);

        settled.Ingress.Values.Should().OnlyHaveUniqueItems("no address is held twice");
        settled.Ingress["svc-0"].Should().Be("192.168.10.100");
        settled.Ingress["svc-3"].Should().Be("192.168.10.150");
        settled.Records.Should().BeEquivalentTo(settled.Ingress.Select(p => $"{p.Value}={p.Key}"), "one record per held address, naming its holder");
        settled.Holders.Should().BeEquivalentTo(settled.Ingress.Select(p => $"{p.Value}={p.Key}"), "the IPAM holds exactly what is served");
        settled.UsingIPs.Should().Be(served.Length, "v4usingIPs counts exactly the holders");
        settled.Gateways.Should().BeEquivalentTo(served.Select(s => $"lb-svc-{s}"), "one gateway per served Service, none left over");
        settled.Finalized.Should().BeEquivalentTo(served, "only served Services carry the finalizer");

        // None lost: the next Service gets the lowest address nobody holds.
        var held = settled.Ingress.Values.Select(a => int.Parse(a.Split('.')[3], System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        var lowest = Enumerable.Range(11, 240).First(n => !held.Contains(n));
        await CreateServiceAsync(LbService("probe"));
        await WaitForIngressAsync("probe", $"192.168.10.{lowest}");
    }

    private sealed record Snapshot(
        Dictionary<string, string> Ingress, IReadOnlyList<string> Records, IReadOnlyList<string> Holders, decimal? UsingIPs,
        IReadOnlyList<string> Gateways, IReadOnlyList<string> Finalized)
    {
        public bool IsSettled(string[] served)
        {
            var expected = Ingress.Select(p => $"{p.Value}={p.Key}").Order(StringComparer.Ordinal).ToList();
            return Ingress.Count == served.Length && served.All(Ingress.ContainsKey)
                && Records.Order(StringComparer.Ordinal).SequenceEqual(expected) && Holders.Order(StringComparer.Ordinal).SequenceEqual(expected)
                && UsingIPs == served.Length && Gateways.Count == served.Length && Finalized.Count == served.Length;
        }
    }

    private async Task<Snapshot> SnapshotAsync()
    {
        var services = (await Api.CoreV1.ListNamespacedServiceAsync(Ns)).Items;
        var ingress = services.Where(s => Ingress(s).Count > 0).ToDictionary(s => s.Metadata.Name, s => string.Join(",", Ingress(s)));
        var holders = OperatorServices.GetRequiredService<IpamState>().Holders(SubnetName("a"))
            .Select(h => $"{string.Join(",", h.Addresses)}={h.Owner.Name}").ToList();
        var subnet = await Client.GetAsync<V1Subnet>(SubnetName("a"));
        var gateways = (await Api.AppsV1.ListNamespacedDeploymentAsync(Ns)).Items.Select(d => d.Metadata.Name).ToList();
        var finalized = services.Where(s => s.Metadata.Finalizers?.Contains(ServiceFinalizer.Identifier) == true).Select(s => s.Metadata.Name).ToList();
        return new Snapshot(ingress, await RecordedAsync(), holders, subnet?.Status?.V4UsingIPs, gateways, finalized);
    }

    /// <summary>The test's own writes meet the same faults: retried until done (or, for a create, until the object is there).</summary>
    private static async Task RetryAsync(Func<Task> write, Func<Task<bool>>? done = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await write();
                return;
            }
            catch (k8s.Autorest.HttpOperationException e) when (attempt < 30 && e.Response.StatusCode is HttpStatusCode.InternalServerError or HttpStatusCode.Conflict)
            {
                if (done is not null && await done())
                {
                    return;
                }
            }
        }
    }
}
