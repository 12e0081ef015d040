using System.Net;
using System.Text;
using k8s;
using LbOperator.Sandbox.Faults;

namespace LbOperator.Tests.Sandbox;

[Category("Sandbox")]
public sealed class FaultTests : SandboxTestBase
{
    [Test]
    public async Task Dropping_Watches_Ends_Open_Streams()
    {
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), Ns);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var watching = Task.Run(async () =>
        {
            var count = 0;
            await foreach (var _ in Client.CoreV1.WatchListNamespacedConfigMapAsync(Ns, cancellationToken: cts.Token))
            {
                count++;
            }

            return count;
        });
        await Eventually(() => Task.FromResult(Sandbox.Faults.OpenWatches), n => n > 0, "the watch to open");
        Sandbox.Faults.DropWatches().Should().BeGreaterThan(0);
        (await watching.WaitAsync(cts.Token)).Should().Be(1);
        Sandbox.Faults.DroppedWatches.Should().BeGreaterThan(0);
    }

    [Test]
    public async Task Watches_Are_Dropped_Periodically()
    {
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), Ns);
        Sandbox.Faults.DropWatchesEvery(TimeSpan.FromMilliseconds(200));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 2; i++)
        {
            await foreach (var _ in Client.CoreV1.WatchListNamespacedConfigMapAsync(Ns, cancellationToken: cts.Token))
            {
            }
        }

        Sandbox.Faults.DropWatchesEvery(null);
        cts.IsCancellationRequested.Should().BeFalse();
    }

    [Test]
    public async Task Expired_Watches_Answer_410()
    {
        var before = Sandbox.Faults.ExpiredWatches;
        Sandbox.Faults.ExpireWatches(true);
        Exception? error = null;
        await foreach (var _ in Client.CoreV1.WatchListNamespacedConfigMapAsync(Ns, resourceVersion: "1", onError: e => error = e))
        {
        }

        error.Should().BeOfType<KubernetesException>().Which.Status.Code.Should().Be(410);
        (Sandbox.Faults.ExpiredWatches - before).Should().Be(1);
    }

    [Test]
    public async Task Write_Failures_Hit_The_Chosen_Resource_And_Verb()
    {
        var before = Sandbox.Faults.FailedWrites;
        Sandbox.Faults.FailWrites(new WriteFailure("configmaps", "create", 1, 409));
        var e = await Fails(() => Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), Ns));
        e.Response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await Client.CoreV1.CreateNamespacedSecretAsync(new k8s.Models.V1Secret { Metadata = new k8s.Models.V1ObjectMeta { Name = "s" } }, Ns)).Should().NotBeNull();

        Sandbox.Faults.Reset();
        Sandbox.Faults.FailWrites(new WriteFailure(null, "update", 1, 500));
        var cm = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), Ns);
        var failed = await Fails(() => Client.CoreV1.ReplaceNamespacedConfigMapAsync(cm, "a", Ns));
        failed.Response.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        CrudTests.Status(failed).Reason.Should().Be("InternalError");
        (Sandbox.Faults.FailedWrites - before).Should().Be(2);
    }

    [Test]
    public async Task Write_Failures_Can_Hit_A_Subresource_Alone()
    {
        var service = await Client.CoreV1.CreateNamespacedServiceAsync(new k8s.Models.V1Service
        {
            Metadata = new k8s.Models.V1ObjectMeta { Name = "web" },
            Spec = new k8s.Models.V1ServiceSpec { Ports = [new k8s.Models.V1ServicePort { Port = 80 }] },
        }, Ns);
        Sandbox.Faults.FailWrites(new WriteFailure("services/status", null, 1, 500));
        (await Fails(() => Client.CoreV1.ReplaceNamespacedServiceStatusAsync(service, "web", Ns))).Response.StatusCode
            .Should().Be(HttpStatusCode.InternalServerError);
        service.Metadata.Labels = new Dictionary<string, string> { ["a"] = "b" };
        (await Client.CoreV1.ReplaceNamespacedServiceAsync(service, "web", Ns)).Metadata.Labels.Should().ContainKey("a", "the object itself is not faulted");

        Sandbox.Faults.Reset();
        Sandbox.Faults.FailWrites(new WriteFailure("services", null, 1, 500));
        var fresh = await Client.CoreV1.ReadNamespacedServiceAsync("web", Ns);
        (await Fails(() => Client.CoreV1.ReplaceNamespacedServiceStatusAsync(fresh, "web", Ns))).Response.StatusCode
            .Should().Be(HttpStatusCode.InternalServerError, "a resource's rule covers its subresources");
    }

    [Test]
    public async Task A_Write_Whose_Answer_Is_Lost_Is_Applied_But_Answered_500()
    {
        Sandbox.Faults.FailWrites(new WriteFailure("configmaps", "create", 1, 500, AfterWrite: true));
        (await Fails(() => Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), Ns))).Response.StatusCode
            .Should().Be(HttpStatusCode.InternalServerError);
        (await Client.CoreV1.ReadNamespacedConfigMapAsync("a", Ns)).Should().NotBeNull("the write happened");
        FluentActions.Invoking(() => Sandbox.Faults.FailWrites(new WriteFailure(null, null, 1, 409, AfterWrite: true)))
            .Should().Throw<ArgumentOutOfRangeException>();
    }

    [Test]
    public async Task A_Share_Of_Writes_Fails()
    {
        Sandbox.Faults.FailWrites(new WriteFailure("configmaps", null, 0.5, 500));
        var failures = 0;
        for (var i = 0; i < 40; i++)
        {
            try
            {
                await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap($"cm-{i}"), Ns);
            }
            catch (k8s.Autorest.HttpOperationException)
            {
                failures++;
            }
        }

        failures.Should().BeInRange(5, 35);
    }

    [Test]
    public async Task Latency_Delays_Matching_Requests()
    {
        Sandbox.Faults.AddLatency(new Latency(TimeSpan.FromMilliseconds(300), "configmaps", "list"));
        var started = DateTime.UtcNow;
        await Client.CoreV1.ListNamespacedConfigMapAsync(Ns);
        (DateTime.UtcNow - started).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(290));
    }

    [Test]
    public async Task Fault_Endpoint_Configures_And_Resets_Faults()
    {
        using var http = new HttpClient { BaseAddress = Sandbox.BaseAddress };
        var body = "{\"writeFailures\":[{\"resource\":\"configmaps\",\"verb\":\"create\",\"share\":1,\"code\":500}],\"latency\":[{\"milliseconds\":1,\"resource\":\"pods\"}]}";
        var response = await http.PostAsync("/sandbox/faults", new StringContent(body, Encoding.UTF8, "application/json"));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("configmaps");
        (await Fails(() => Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), Ns))).Response.StatusCode.Should().Be(HttpStatusCode.InternalServerError);

        (await http.DeleteAsync("/sandbox/faults")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), Ns)).Should().NotBeNull();

        var bad = await http.PostAsync("/sandbox/faults", new StringContent("{\"writeFailures\":[{\"code\":418}]}", Encoding.UTF8, "application/json"));
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }
}
