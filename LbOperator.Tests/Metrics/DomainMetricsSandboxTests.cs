using k8s;
using k8s.Models;
using LbOperator.Cli;
using LbOperator.Controllers;
using LbOperator.Entities;
using LbOperator.Framework.Client;
using LbOperator.Framework.Entities;
using LbOperator.Framework.Hosting;
using LbOperator.Metrics;
using LbOperator.Sandbox;
using LbOperator.Sandbox.Host;
using LbOperator.Tests.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace LbOperator.Tests.Metrics;

/// <summary>
/// The operator in-process against the sandbox with the seed's NAD, Subnet, Service and Deployment applied: its
/// /metrics, scraped over HTTP, serves every name controller-runtime dashboards use and LbOperator's own, with
/// figures that match what the cluster shows.
/// </summary>
[Category("Sandbox")]
public sealed class DomainMetricsSandboxTests
{
    private const string SeedSubnet = "attach-subnet";

    private static readonly string[] ControllerRuntimeNames =
    [
        "controller_runtime_reconcile_total", "controller_runtime_reconcile_errors_total", "controller_runtime_reconcile_time_seconds",
        "controller_runtime_max_concurrent_reconciles", "controller_runtime_active_workers", "workqueue_depth", "workqueue_adds_total",
        "workqueue_retries_total", "workqueue_queue_duration_seconds", "workqueue_work_duration_seconds", "workqueue_unfinished_work_seconds",
        "workqueue_longest_running_processor_seconds", "rest_client_requests_total", "leader_election_master_status",
        "process_cpu_seconds_total", "process_working_set_bytes",
    ];

#pragma warning disable NUnit1032 // Disposed in OneTimeTearDown.
    private WebApplication _operator = null!;
    private Kubernetes _api = null!;
#pragma warning restore NUnit1032
    private RunningSandbox _sandbox = null!;
    private KubernetesClient _client = null!;

    [OneTimeSetUp]
    public async Task StartWithTheSeed()
    {
        _sandbox = await SandboxServer.StartAsync(new SandboxOptions { BookmarkInterval = TimeSpan.FromMilliseconds(300) });
        _api = _sandbox.CreateClient();
        _client = new KubernetesClient(_api, _sandbox.ClientConfiguration);
        await InProcessOperator.InstallCrdsAsync(_sandbox, CancellationToken.None);
        _operator = InProcessOperator.Build(_sandbox.ClientConfiguration, new LbOperatorSettings(), LogLevel.Warning);
        await _operator.StartAsync();

        await _client.CreateAsync(EntityYaml.Deserialize<V1NetworkAttachmentDefinition>(Example("nad.yaml")));
        await _client.CreateAsync(EntityYaml.Deserialize<V1Subnet>(Example("subnet.yaml")));
        await _client.CreateAsync(KubernetesYaml.Deserialize<V1Deployment>(Example("deployment.yaml")));
        await _client.CreateAsync(KubernetesYaml.Deserialize<V1Service>(Example("service.yaml")));
        await Until(async () => ConditionList.IsTrue((await _client.GetAsync<V1Service>("test-service", "default"))?.Status?.Conditions, ServiceController.ConditionType),
            "the seed Service is ready");
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _operator.StopAsync();
        await _operator.DisposeAsync();
        _api.Dispose();
        await _sandbox.DisposeAsync();
    }

    [Test]
    public async Task Serves_The_Names_Dashboards_Use_With_The_Figures_Of_The_Seed()
    {
        // The figures come from the watched objects, which may trail the GET that saw the Service ready by a moment.
        var scrape = await Until(ScrapeAsync, s => s.Series(DomainMetricNames.Services, "state=ready").Sum(x => x.Value) == 1,
            "the ready seed Service is counted");
        scrape.Types.Keys.Should().Contain(ControllerRuntimeNames);
        scrape.Types.Keys.Should().Contain([
            DomainMetricNames.SubnetAddressesUsed, DomainMetricNames.SubnetAddressesAvailable, DomainMetricNames.Services, DomainMetricNames.GatewayReady,
        ]);
        scrape.Types["controller_runtime_reconcile_time_seconds"].Should().Be("histogram");

        scrape.Value(DomainMetricNames.SubnetAddressesUsed, $"subnet={SeedSubnet}", "family=IPv4").Should().Be(1, "test-service holds 172.18.0.18");
        scrape.Value(DomainMetricNames.SubnetAddressesAvailable, $"subnet={SeedSubnet}", "family=IPv4").Should().Be(65523);
        scrape.Series(DomainMetricNames.SubnetAddressesUsed, $"subnet={SeedSubnet}", "family=IPv6").Should().BeEmpty("the seed Subnet is IPv4 only");
        scrape.Value(DomainMetricNames.Services, "state=ready", "reason=GatewayReady").Should().Be(1);
        scrape.Value(DomainMetricNames.Services, "state=pending", "reason=GatewayPending").Should().Be(0);
        scrape.Value(DomainMetricNames.GatewayReady, "namespace=default", "service=test-service").Should().Be(1);

        scrape.Value("controller_runtime_reconcile_total", "controller=service", "result=success").Should().BeGreaterThan(0);
        scrape.Value("controller_runtime_reconcile_total", "controller=subnet", "result=success").Should().BeGreaterThan(0);
        scrape.Value("workqueue_adds_total", "name=service", "controller=service").Should().BeGreaterThan(0);
        scrape.Value("leader_election_master_status", "name=lb-operator-leader").Should().Be(1);
        scrape.Series("rest_client_requests_total", "code=201", "method=POST").Should().NotBeEmpty("the gateway Deployment was created");

        // The Subnet's own status, written by the operator, shows the same figures.
        var status = await Until(async () => (await _client.GetAsync<V1Subnet>(SeedSubnet))!.Status, s => s?.V4UsingIPs == 1, "the Subnet's status counts test-service");
        ((double)status!.V4AvailableIPs!.Value).Should().Be(scrape.Value(DomainMetricNames.SubnetAddressesAvailable, $"subnet={SeedSubnet}", "family=IPv4"));
    }

    [Test]
    public async Task A_Failing_Service_Counts_Under_Its_Reason_Until_It_Is_Gone()
    {
        var service = KubernetesYaml.Deserialize<V1Service>(Example("service.yaml"));
        service.Metadata.Name = "second";
        service.Spec.LoadBalancerIP = "172.18.0.18";
        await _client.CreateAsync(service);

        // The condition shows in the watched Service before the reconcile that wrote it has returned and been counted.
        var scrape = await Until(
            ScrapeAsync,
            s => s.Series(DomainMetricNames.Services, "state=failed", "reason=AddressConflict").Sum(x => x.Value) == 1
                && s.Value("controller_runtime_reconcile_errors_total", "controller=service") > 0,
            "the Service asking for test-service's address counts as failed, AddressConflict");
        scrape.Value(DomainMetricNames.GatewayReady, "namespace=default", "service=second").Should().Be(0, "it has no gateway");
        scrape.Value(DomainMetricNames.Services, "state=ready", "reason=GatewayReady").Should().Be(1);
        scrape.Value(DomainMetricNames.SubnetAddressesUsed, $"subnet={SeedSubnet}", "family=IPv4").Should().Be(1, "the failed Service holds nothing, test-service keeps its address");
        scrape.Value("workqueue_retries_total", "name=service").Should().BeGreaterThan(0);

        await _client.DeleteAsync<V1Service>("second", "default");
        scrape = await Until(ScrapeAsync, s => s.Series(DomainMetricNames.GatewayReady, "service=second").Count == 0, "the deleted Service's series is gone");
        scrape.Value(DomainMetricNames.Services, "state=failed", "reason=AddressConflict").Should().Be(0, "a reason seen once stays, at 0");
    }

    [Test]
    public async Task A_Dual_Stack_Subnet_Has_A_Series_Per_Family_Until_It_Is_Deleted()
    {
        await _client.CreateAsync(new V1Subnet
        {
            Metadata = new V1ObjectMeta { Name = "metrics-dual" },
            Spec = new V1SubnetSpec { CidrBlock = "10.20.0.0/24,fd00:20::/120", Provider = "lb-svc-attachment.kube-system" },
        });

        var status = await Until(async () => (await _client.GetAsync<V1Subnet>("metrics-dual"))!.Status, s => s?.V4AvailableIPs > 0 && s.V6AvailableIPs > 0,
            "the dual-stack Subnet has its figures");
        var scrape = await ScrapeAsync();
        scrape.Value(DomainMetricNames.SubnetAddressesAvailable, "subnet=metrics-dual", "family=IPv4").Should().Be((double)status!.V4AvailableIPs!.Value).And.Be(253);
        scrape.Value(DomainMetricNames.SubnetAddressesAvailable, "subnet=metrics-dual", "family=IPv6").Should().Be((double)status.V6AvailableIPs!.Value);
        scrape.Value(DomainMetricNames.SubnetAddressesUsed, "subnet=metrics-dual", "family=IPv6").Should().Be(0);

        await _client.DeleteAsync<V1Subnet>("metrics-dual");
        await Until(ScrapeAsync, s => s.Series(DomainMetricNames.SubnetAddressesAvailable, "subnet=metrics-dual").Count == 0, "the deleted Subnet's series are gone");
    }

    [Test]
    public async Task Every_Metric_The_Grafana_Dashboard_Queries_Is_Served()
    {
        var served = (await ScrapeAsync()).Types.Keys.ToHashSet(StringComparer.Ordinal);
        using var dashboard = GrafanaDashboard.Load();
        foreach (var query in GrafanaDashboard.Queries(dashboard))
        {
            GrafanaDashboard.MetricsOf(query).Should().OnlyContain(m => served.Contains(m), $"the dashboard queries '{query}'");
        }
    }

    private static string Example(string file) => File.ReadAllText(Path.Combine(RepositoryRoot.Path, "examples", file));

    private Task<PrometheusText> ScrapeAsync() => PrometheusText.ScrapeAsync(OperatorHost.HealthAddress(_operator)!);

    private static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var value = await probe();
            if (condition(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new AssertionException($"timed out waiting until {what}");
            }

            await Task.Delay(50);
        }
    }

    private static Task<bool> Until(Func<Task<bool>> probe, string what) => Until(probe, ok => ok, what);
}
