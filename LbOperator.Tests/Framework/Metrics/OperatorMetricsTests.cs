using System.Net;
using LbOperator.Framework.Builder;
using LbOperator.Framework.Entities;
using LbOperator.Framework.Metrics;
using LbOperator.Framework.Queue;
using LbOperator.Framework.Reconciliation;
using LbOperator.Tests.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Prometheus;

namespace LbOperator.Tests.Framework.Metrics;

/// <summary>The framework's metrics on a registry of their own, with a fake clock: names, labels and figures.</summary>
[Category("Unit")]
public sealed class OperatorMetricsTests
{
    private static readonly EntityKey A = new("ns", "a");
    private static readonly EntityKey B = new("ns", "b");

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private static OperatorMetrics NewMetrics(string name = "test-operator") =>
        new(Prometheus.Metrics.NewCustomRegistry(), new OperatorSettingsBuilder { Name = name }.Build());

    [Test]
    public async Task A_New_Controller_Starts_Every_Series_At_Zero()
    {
        var metrics = NewMetrics();
        metrics.ForController("service", 4);

        var scrape = await PrometheusText.CollectAsync(metrics.Registry);
        foreach (var result in new[] { "success", "error", "requeue", "requeue_after" })
        {
            scrape.Value("controller_runtime_reconcile_total", "controller=service", $"result={result}").Should().Be(0);
        }

        scrape.Value("controller_runtime_reconcile_errors_total", "controller=service").Should().Be(0);
        scrape.Value("controller_runtime_max_concurrent_reconciles", "controller=service").Should().Be(4);
        scrape.Value("controller_runtime_active_workers", "controller=service").Should().Be(0);
        scrape.Value("workqueue_adds_total", "name=service", "controller=service").Should().Be(0);
        scrape.Value("workqueue_retries_total", "name=service", "controller=service").Should().Be(0);
        scrape.Value("leader_election_master_status", "name=test-operator-leader").Should().Be(0);
        scrape.Types.Should().Contain(new Dictionary<string, string>
        {
            ["controller_runtime_reconcile_total"] = "counter",
            ["controller_runtime_reconcile_time_seconds"] = "histogram",
            ["workqueue_depth"] = "gauge",
            ["workqueue_queue_duration_seconds"] = "histogram",
            ["workqueue_work_duration_seconds"] = "histogram",
            ["rest_client_requests_total"] = "counter",
            ["leader_election_master_status"] = "gauge",
        });
    }

    [Test]
    public async Task Outcomes_Are_Counted_With_Controller_Runtimes_Result_Labels()
    {
        var metrics = NewMetrics();
        var controller = metrics.ForController("subnet", 2);
        controller.Finished(ReconcileOutcome.Success);
        controller.Finished(ReconcileOutcomes.OfSuccess(TimeSpan.FromMinutes(1)));
        controller.Finished(ReconcileOutcomes.OfSuccess(TimeSpan.Zero));
        controller.Finished(ReconcileOutcome.Error);
        controller.Finished(ReconcileOutcome.Error);

        var scrape = await PrometheusText.CollectAsync(metrics.Registry);
        scrape.Value("controller_runtime_reconcile_total", "controller=subnet", "result=success").Should().Be(1);
        scrape.Value("controller_runtime_reconcile_total", "controller=subnet", "result=requeue_after").Should().Be(1);
        scrape.Value("controller_runtime_reconcile_total", "controller=subnet", "result=requeue").Should().Be(1);
        scrape.Value("controller_runtime_reconcile_total", "controller=subnet", "result=error").Should().Be(2);
        scrape.Value("controller_runtime_reconcile_errors_total", "controller=subnet").Should().Be(2);
        scrape.Value("workqueue_retries_total", "name=subnet").Should().Be(3, "errors and immediate requeues are retries, as client-go's rate-limited adds");
    }

    [Test]
    public async Task The_Queue_Reports_Adds_Depth_Waits_And_Work_Times()
    {
        var metrics = NewMetrics();
        var queue = new EntityWorkQueue<string>(_time, metrics.ForQueue("configmap"));
        queue.Enqueue(A, ReconciliationType.Added, ReconciliationTriggerSource.ApiServer, TimeSpan.Zero);
        queue.Enqueue(A, ReconciliationType.Modified, ReconciliationTriggerSource.ApiServer, TimeSpan.Zero);
        queue.Enqueue(B, ReconciliationType.Modified, ReconciliationTriggerSource.Operator, TimeSpan.FromSeconds(30));

        var before = await PrometheusText.CollectAsync(metrics.Registry);
        before.Value("workqueue_adds_total", "name=configmap").Should().Be(2, "the second request for a merges into the first");
        before.Value("workqueue_depth", "name=configmap").Should().Be(1, "b is not due yet");

        _time.Advance(TimeSpan.FromSeconds(2));
        var entry = await queue.DequeueAsync(CancellationToken.None);
        entry.Key.Should().Be(A);
        _time.Advance(TimeSpan.FromSeconds(3));
        var working = await PrometheusText.CollectAsync(metrics.Registry);
        working.Value("workqueue_depth", "name=configmap").Should().Be(0);
        working.Value("workqueue_unfinished_work_seconds", "name=configmap").Should().Be(3);
        working.Value("workqueue_longest_running_processor_seconds", "name=configmap").Should().Be(3);

        queue.Done(A);
        var done = await PrometheusText.CollectAsync(metrics.Registry);
        done.Value("workqueue_queue_duration_seconds_count", "name=configmap").Should().Be(1);
        done.Value("workqueue_queue_duration_seconds_sum", "name=configmap").Should().Be(2, "a waited 2 s after it was due");
        done.Value("workqueue_work_duration_seconds_sum", "name=configmap").Should().Be(3);
        done.Value("workqueue_work_duration_seconds_bucket", "name=configmap", "le=1").Should().Be(0);
        done.Value("workqueue_work_duration_seconds_bucket", "name=configmap", "le=10").Should().Be(1);
        done.Value("workqueue_unfinished_work_seconds", "name=configmap").Should().Be(0);

        _time.Advance(TimeSpan.FromSeconds(30));
        (await PrometheusText.CollectAsync(metrics.Registry)).Value("workqueue_depth", "name=configmap").Should().Be(1, "b is due now");
    }

    [Test]
    public async Task Reconcile_Time_Uses_Controller_Runtimes_Buckets()
    {
        var metrics = NewMetrics();
        metrics.ForController("service", 1).ObserveReconcileTime(TimeSpan.FromMilliseconds(120));

        var buckets = (await PrometheusText.CollectAsync(metrics.Registry)).Series("controller_runtime_reconcile_time_seconds_bucket", "controller=service");
        buckets.Select(b => b.Labels["le"]).Should().StartWith(["0.005", "0.01", "0.025", "0.05", "0.1", "0.15"]).And.EndWith(["50", "60", "+Inf"]);
        buckets.Should().HaveCount(41);
        buckets.Single(b => b.Labels["le"] == "0.1").Value.Should().Be(0);
        buckets.Single(b => b.Labels["le"] == "0.15").Value.Should().Be(1);
    }

    [Test]
    public async Task Leader_Status_Follows_The_Term()
    {
        var metrics = NewMetrics("lb-operator");
        metrics.SetLeading(true);
        (await PrometheusText.CollectAsync(metrics.Registry)).Value("leader_election_master_status", "name=lb-operator-leader").Should().Be(1);
        metrics.SetLeading(false);
        (await PrometheusText.CollectAsync(metrics.Registry)).Value("leader_election_master_status", "name=lb-operator-leader").Should().Be(0);
    }

    [Test]
    public async Task Api_Requests_Are_Counted_By_Code_Method_And_Host()
    {
        var metrics = NewMetrics();
        using var client = new HttpClient(new RestClientMetricsHandler(metrics) { InnerHandler = new AnswerHandler() });

        (await client.GetAsync(new Uri("http://127.0.0.1:6443/api/v1/services"))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.GetAsync(new Uri("http://127.0.0.1:6443/api/v1/namespaces/x/services/missing"))).StatusCode.Should().Be(HttpStatusCode.NotFound);
        using var put = new HttpRequestMessage(HttpMethod.Put, new Uri("http://127.0.0.1:6443/fail"));
        await FluentActions.Awaiting(() => client.SendAsync(put)).Should().ThrowAsync<HttpRequestException>();

        var scrape = await PrometheusText.CollectAsync(metrics.Registry);
        scrape.Value("rest_client_requests_total", "code=200", "method=GET", "host=127.0.0.1:6443").Should().Be(1);
        scrape.Value("rest_client_requests_total", "code=404", "method=GET", "host=127.0.0.1:6443").Should().Be(1);
        scrape.Value("rest_client_requests_total", "code=<error>", "method=PUT", "host=127.0.0.1:6443").Should().Be(1);
    }

    [Test]
    public async Task Two_Operators_In_One_Process_Keep_Their_Figures_Apart()
    {
        var first = NewMetrics();
        var second = NewMetrics();
        first.ForController("service", 1).Finished(ReconcileOutcome.Success);

        (await PrometheusText.CollectAsync(first.Registry)).Value("controller_runtime_reconcile_total", "controller=service", "result=success").Should().Be(1);
        (await PrometheusText.CollectAsync(second.Registry)).Series("controller_runtime_reconcile_total").Should().BeEmpty();
    }

    [Test]
    public async Task The_Hosts_Registry_Has_Process_Figures_And_Updates_Metrics_Sources_Before_Every_Collection()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new OperatorSettingsBuilder { Name = "sources" }.Build());
        services.AddSingleton(OperatorRegistry.Create);
        services.AddSingleton<OperatorMetrics>();
        services.AddSingleton<IMetricsSource, CountingSource>();
        await using var provider = services.BuildServiceProvider();
        var metrics = provider.GetRequiredService<OperatorMetrics>();

        var first = await PrometheusText.CollectAsync(metrics.Registry);
        first.Value("test_collections").Should().Be(1);
        first.Types.Should().Contain("process_cpu_seconds_total", "counter").And.Contain("process_working_set_bytes", "gauge");
        (await PrometheusText.CollectAsync(metrics.Registry)).Value("test_collections").Should().Be(2);
    }

    [Test]
    public async Task A_Snapshot_Gauge_Drops_Series_That_Are_No_Longer_Published()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var gauge = new SnapshotGauge(registry, "test_subnet_figure", "A figure per subnet.", "subnet");
        gauge.Publish([new GaugeSample(["a"], 1), new GaugeSample(["b"], 2)]);
        (await PrometheusText.CollectAsync(registry)).Series("test_subnet_figure").Select(s => s.Labels["subnet"]).Should().BeEquivalentTo("a", "b");

        gauge.Publish([new GaugeSample(["b"], 5)]);
        var scrape = await PrometheusText.CollectAsync(registry);
        scrape.Series("test_subnet_figure").Should().ContainSingle().Which.Value.Should().Be(5);
        scrape.Types.Should().ContainKey("test_subnet_figure", "the family stays, without series, when nothing is published");
    }

    private sealed class AnswerHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            request.RequestUri!.AbsolutePath switch
            {
                "/fail" => throw new HttpRequestException("connection refused"),
                var path when path.EndsWith("/missing", StringComparison.Ordinal) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound)),
                _ => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)),
            };
    }

    private sealed class CountingSource : IMetricsSource
    {
        private readonly Gauge _collections;

        public CountingSource(OperatorMetrics metrics) =>
            _collections = Prometheus.Metrics.WithCustomRegistry(metrics.Registry).CreateGauge("test_collections", "Collections so far.");

        public void Update() => _collections.Inc();
    }
}
