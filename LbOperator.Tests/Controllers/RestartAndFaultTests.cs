using k8s;
using k8s.Models;
using LbOperator.Entities;
using LbOperator.Sandbox.Faults;

namespace LbOperator.Tests.Controllers;

/// <summary>Restarts of the operator and a faulty API server: every Service keeps its address, none is held twice, none leaks.</summary>
[NonParallelizable]
[Category("Sandbox")]
public sealed class RestartAndFaultTests : OperatorTestBase
{
    private async Task<Dictionary<string, string>> AddressesAsync()
    {
        var services = await Api.CoreV1.ListNamespacedServiceAsync(Ns);
        return services.Items.ToDictionary(s => s.Metadata.Name, s => string.Join(",", Ingress(s)));
    }

    private async Task<Dictionary<string, string>> WaitForAllServedAsync(int count, double timeoutSeconds = 30) =>
        await Eventually(AddressesAsync, a => a.Count == count && a.Values.All(v => v.Length > 0), $"{count} Services to be served", timeoutSeconds);

    /// <summary>The resourceVersion of every object the operator writes in the test (Services, gateways, records, the Subnet) and the Event count.</summary>
    private async Task<string> WriteFingerprintAsync()
    {
        var services = (await Api.CoreV1.ListNamespacedServiceAsync(Ns)).Items.Select(s => $"{s.Metadata.Name}@{s.Metadata.ResourceVersion}");
        var deployments = (await Api.AppsV1.ListNamespacedDeploymentAsync(Ns)).Items.Select(d => $"{d.Metadata.Name}@{d.Metadata.ResourceVersion}");
        var records = (await RecordsAsync()).Select(r => $"{r.Metadata.Name}@{r.Metadata.ResourceVersion}");
        var subnet = (await Client.GetAsync<V1Subnet>(SubnetName("a")))!.Metadata.ResourceVersion;
        var events = (await Api.CoreV1.ListNamespacedEventAsync(Ns)).Items.Sum(e => e.Count ?? 1);
        return string.Join(" ", services.Order().Concat(deployments.Order()).Concat(records).Append($"subnet@{subnet}").Append($"events={events}"));
    }

    private static void ShouldBeDistinct(Dictionary<string, string> addresses) =>
        addresses.Values.Should().OnlyHaveUniqueItems("no address may be held twice");

    [Test]
    public async Task Restarts_Keep_Every_Address_And_Write_Nothing_Once_Settled()
    {
        await CreateNadAsync();
        await CreateSubnetAsync("a");
        for (var i = 0; i < 12; i++)
        {
            await CreateServiceAsync(LbService($"svc-{i:D2}", loadBalancerIp: i % 4 == 0 ? $"192.168.10.{200 + i}" : null));
        }

        var served = await WaitForAllServedAsync(12);
        ShouldBeDistinct(served);
        await Eventually(RecordsAsync, r => r.Count == 12, "one record per Service");
        await Eventually(() => Api.CoreV1.ListNamespacedServiceAsync(Ns), l => l.Items.All(s => LoadBalancerCondition(s)?.Status == "True"),
            "every gateway to be ready");
        await Task.Delay(500);
        var settled = await WriteFingerprintAsync();

        for (var restart = 0; restart < 3; restart++)
        {
            await StopOperatorAsync();
            await StartOperatorAsync();
            await Task.Delay(1500);
            (await AddressesAsync()).Should().Equal(served, "a restart changes no address");
            (await WriteFingerprintAsync()).Should().Be(settled, "a restart of a settled cluster writes nothing");
        }
    }

    [Test]
    public async Task Restarts_In_The_Middle_Of_A_Burst_Hand_Out_Each_Address_Once()
    {
        await CreateNadAsync();
        await CreateSubnetAsync("a");
        var kept = new Dictionary<string, string>();
        var created = 0;
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 6; i++)
            {
                await CreateServiceAsync(LbService($"svc-{created++:D2}"));
                if (i == 3)
                {
                    await StopOperatorAsync();
                }
            }

            await StartOperatorAsync();
            var served = await WaitForAllServedAsync(created);
            ShouldBeDistinct(served);
            foreach (var (name, address) in kept)
            {
                served[name].Should().Be(address, $"{name} keeps its address across restarts");
            }

            kept = served;
        }

        kept.Values.Order().Should().Equal(Enumerable.Range(11, created).Select(n => $"192.168.10.{n}").Order(), "the lowest addresses, each once");
        var subnet = await Eventually(() => Client.GetAsync<V1Subnet>(SubnetName("a")), s => s!.Status?.V4UsingIPs == created, "the Subnet to count every Service");
        subnet!.Status!.V4UsingIPRange.Should().Be($"192.168.10.11-192.168.10.{10 + created}");
    }

    [Test]
    public async Task A_Lost_Record_Is_Recovered_From_The_Gateway_Before_Anything_Is_Allocated()
    {
        await CreateNadAsync();
        await CreateSubnetAsync("a");
        await CreateServiceAsync(LbService("first"));
        await WaitForIngressAsync("first", "192.168.10.11");
        var record = (await Eventually(RecordsAsync, r => r.Count == 1, "the record")).Single();

        await StopOperatorAsync();
        await Client.DeleteAsync<V1IpAllocation>(record.Metadata.Name);
        await CreateServiceAsync(LbService("second"));
        await StartOperatorAsync();

        await WaitForIngressAsync("second", "192.168.10.12");
        await Eventually(RecordedAsync, r => r.SequenceEqual(["192.168.10.11=first", "192.168.10.12=second"]), "the record to be written again");
        Ingress(await GetServiceAsync("first")).Should().Equal("192.168.10.11");
    }

    [Test]
    public async Task Faulty_API_Server_Converges_Without_Double_Or_Leaked_Addresses()
    {
        await CreateNadAsync();
        await CreateSubnetAsync("a");
        Sandbox.Faults.DropWatchesEvery(TimeSpan.FromMilliseconds(700));
        Sandbox.Faults.FailWrites(new WriteFailure(null, null, 0.2, 409));
        Sandbox.Faults.FailWrites(new WriteFailure(null, null, 0.1, 500));
        for (var i = 0; i < 15; i++)
        {
            await CreateServiceWithRetryAsync(LbService($"svc-{i:D2}"));
            if (i == 5)
            {
                Sandbox.Faults.ExpireWatches(true);
            }

            if (i == 8)
            {
                Sandbox.Faults.ExpireWatches(false);
            }
        }

        // Delete two while the faults go on: their addresses must come back.
        await DeleteServiceWithRetryAsync("svc-03");
        await DeleteServiceWithRetryAsync("svc-07");
        await Task.Delay(1000);
        Sandbox.Faults.Reset();

        var served = await WaitForAllServedAsync(13, timeoutSeconds: 45);
        ShouldBeDistinct(served);
        var subnet = await Eventually(() => Client.GetAsync<V1Subnet>(SubnetName("a")), s => s!.Status?.V4UsingIPs == 13, "the Subnet to count 13 holders");
        subnet!.Status!.V4UsingIPRange.Should().NotBeNullOrEmpty();
        var recorded = await Eventually(RecordedAsync, r => r.Count == 13, "one record per Service");
        recorded.Should().BeEquivalentTo(served.Select(p => $"{p.Value}={p.Key}"), "each Service's address is recorded for it, and nothing else");

        (await Api.AppsV1.ListNamespacedDeploymentAsync(Ns)).Items.Should().HaveCount(13, "one gateway per Service, none left over");
    }

    private async Task CreateServiceWithRetryAsync(V1Service service)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await CreateServiceAsync(service);
                return;
            }
            catch (k8s.Autorest.HttpOperationException) when (attempt < 20)
            {
                if (await Client.GetAsync<V1Service>(service.Metadata.Name, Ns) is not null)
                {
                    return;
                }
            }
        }
    }

    private async Task DeleteServiceWithRetryAsync(string name)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await Client.DeleteAsync<V1Service>(name, Ns);
                return;
            }
            catch (k8s.Autorest.HttpOperationException) when (attempt < 20)
            {
            }
        }
    }
}
