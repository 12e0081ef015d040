using LbOperator.Framework.Builder;
using LbOperator.Framework.Hosting;
using LbOperator.Tests.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace LbOperator.Tests.Framework.Runtime;

/// <summary>/metrics of operators running against the sandbox: results, retries, API requests and leader status as they happen.</summary>
[Category("Sandbox")]
public sealed class OperatorMetricsSandboxTests
{
    [Test]
    public async Task Failures_Retries_And_Requeues_Show_Under_Controller_Runtimes_Names()
    {
        await using var env = await OperatorTestEnvironment.StartAsync();
        var log = new CallLog();
        var app = await env.StartOperatorAsync(b =>
        {
            b.Services.AddSingleton(log);
            b.AddController<FlakyController, k8s.Models.V1ConfigMap>();
        });

        await env.Client.CreateAsync(OperatorRuntimeTests.ConfigMap(env, "flaky", "1"));
        await Eventually.HoldsAsync(() => log.Count("Reconcile", "flaky") >= 4, "the ConfigMap failed twice, then succeeded and was requeued");

        // The counters move just after the reconcile returns; wait for the scrape to catch up.
        PrometheusText scrape = null!;
        await Eventually.HoldsAsync(
            async () => (scrape = await ScrapeAsync(app)).Value("controller_runtime_reconcile_total", "controller=configmap", "result=requeue_after") >= 2,
            "two requeue_after results are counted");
        scrape.Value("controller_runtime_reconcile_total", "controller=configmap", "result=error").Should().Be(2, "one Failure result, one exception");
        scrape.Value("controller_runtime_reconcile_total", "controller=configmap", "result=success").Should().Be(0);
        scrape.Value("controller_runtime_reconcile_errors_total", "controller=configmap").Should().Be(2);
        scrape.Value("workqueue_retries_total", "name=configmap", "controller=configmap").Should().Be(2);
        scrape.Value("workqueue_adds_total", "name=configmap", "controller=configmap").Should().BeGreaterThanOrEqualTo(4);
        scrape.Value("controller_runtime_reconcile_time_seconds_count", "controller=configmap").Should().BeGreaterThanOrEqualTo(4);
        scrape.Value("controller_runtime_max_concurrent_reconciles", "controller=configmap").Should().Be(4);
        scrape.Value("leader_election_master_status", "name=framework-test-leader").Should().Be(1, "without leader election the replica reconciles");
        scrape.Series("rest_client_requests_total", "code=200", "method=GET").Sum(s => s.Value).Should().BeGreaterThan(0);
        scrape.Series("rest_client_requests_total").Should().OnlyContain(s => s.Labels["host"] == env.Sandbox.BaseAddress.Authority);
    }

    [Test]
    public async Task Only_The_Leader_Reports_Leader_Status_One()
    {
        await using var env = await OperatorTestEnvironment.StartAsync();
        void Register(IOperatorBuilder b)
        {
            b.Services.AddSingleton(new CallLog());
            b.AddController<RecordingController<k8s.Models.V1ConfigMap>, k8s.Models.V1ConfigMap>();
        }

        void Elect(OperatorSettingsBuilder s, string identity)
        {
            s.LeaderElectionType = LeaderElectionType.Single;
            s.LeaderElectionIdentity = identity;
            s.LeaderElectionLeaseDuration = TimeSpan.FromSeconds(2);
            s.LeaderElectionRenewDeadline = TimeSpan.FromSeconds(1.5);
            s.LeaderElectionRetryPeriod = TimeSpan.FromMilliseconds(200);
        }

        var first = await env.StartOperatorAsync(Register, s => Elect(s, "replica-1"));
        await Eventually.HoldsAsync(async () => await LeaderStatusAsync(first) == 1, "the first replica leads");
        var second = await env.StartOperatorAsync(Register, s => Elect(s, "replica-2"));
        await Task.Delay(TimeSpan.FromSeconds(1));
        (await LeaderStatusAsync(second)).Should().Be(0, "the second replica waits for the lease");
        (await LeaderStatusAsync(first)).Should().Be(1);

        await env.StopOperatorAsync(first);
        await Eventually.HoldsAsync(async () => await LeaderStatusAsync(second) == 1, "the second replica takes over");
    }

    private static Task<PrometheusText> ScrapeAsync(WebApplication app) => PrometheusText.ScrapeAsync(OperatorHost.HealthAddress(app)!);

    private static async Task<double> LeaderStatusAsync(WebApplication app) =>
        (await ScrapeAsync(app)).Value("leader_election_master_status", "name=framework-test-leader");
}
