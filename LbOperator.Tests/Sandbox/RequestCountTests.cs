using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using LbOperator.Sandbox.Requests;

namespace LbOperator.Tests.Sandbox;

[Category("Sandbox")]
public sealed class RequestCountTests : SandboxTestBase
{
    private const string Agent = "counting-test";

    [Test]
    public async Task Requests_Are_Counted_By_Agent_Verb_Resource_And_Code_And_Reset()
    {
        using var http = new HttpClient { BaseAddress = Sandbox.BaseAddress };
        (await http.DeleteAsync(RequestCountEndpoint.Path)).StatusCode.Should().Be(HttpStatusCode.OK);
        using var client = new Kubernetes(Sandbox.ClientConfiguration, new UserAgentHandler($"{Agent}/1.0 (tests)"));

        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), Ns);
        await client.CoreV1.ReadNamespacedConfigMapAsync("a", Ns);
        await client.CoreV1.ReadNamespacedConfigMapAsync("a", Ns);
        (await Fails(() => client.CoreV1.ReadNamespacedConfigMapAsync("missing", Ns))).Response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        await client.CoreV1.ListNamespacedConfigMapAsync(Ns);
        var service = await client.CoreV1.CreateNamespacedServiceAsync(
            new V1Service
            {
                Metadata = new V1ObjectMeta { Name = "lb" },
                Spec = new V1ServiceSpec { Type = "LoadBalancer", Ports = [new V1ServicePort { Port = 80 }] },
            },
            Ns);
        await client.CoreV1.PatchNamespacedServiceStatusAsync(
            new V1Patch("{\"status\":{\"loadBalancer\":{\"ingress\":[{\"ip\":\"10.20.0.5\"}]}}}", V1Patch.PatchType.MergePatch), service.Metadata.Name, Ns);
        (await http.GetAsync($"/api/v1/namespaces/{Ns}/configmaps/a")).StatusCode.Should().Be(HttpStatusCode.OK);

        // An open watch is counted as soon as its stream starts, not when it ends.
        using var stopWatching = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var watching = Task.Run(async () =>
        {
            try
            {
                await foreach (var _ in client.CoreV1.WatchListNamespacedConfigMapAsync(Ns, cancellationToken: stopWatching.Token))
                {
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped by the test.
            }
        });
        await Eventually(() => CountsAsync(http, HttpMethod.Get), c => c.ContainsKey((Agent, "watch", "configmaps", 200)), "the watch to be counted");

        var counts = await CountsAsync(http, HttpMethod.Get);
        counts.Where(c => c.Key.Agent == Agent).Should().BeEquivalentTo(new Dictionary<(string, string, string, int), long>
        {
            [(Agent, "create", "configmaps", 201)] = 1,
            [(Agent, "get", "configmaps", 200)] = 2,
            [(Agent, "get", "configmaps", 404)] = 1,
            [(Agent, "list", "configmaps", 200)] = 1,
            [(Agent, "watch", "configmaps", 200)] = 1,
            [(Agent, "create", "services", 201)] = 1,
            [(Agent, "patch", "services/status", 200)] = 1,
        });
        counts.Should().Contain(new KeyValuePair<(string, string, string, int), long>((RequestCounter.UnknownAgent, "get", "configmaps", 200), 1));
        counts.Keys.Should().NotContain(k => k.Resource.StartsWith("sandbox", StringComparison.Ordinal));

        await stopWatching.CancelAsync();
        await watching;
        var cleared = await CountsAsync(http, HttpMethod.Delete);
        cleared.Should().Contain(new KeyValuePair<(string, string, string, int), long>((Agent, "get", "configmaps", 200), 2));
        (await CountsAsync(http, HttpMethod.Get)).Keys.Should().NotContain(k => k.Agent == Agent);
    }

    private static async Task<Dictionary<(string Agent, string Verb, string Resource, int Code), long>> CountsAsync(HttpClient http, HttpMethod method)
    {
        using var response = await http.SendAsync(new HttpRequestMessage(method, RequestCountEndpoint.Path));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var rows = body["requests"]!.AsArray().Select(r => r!);
        var counts = rows.ToDictionary(
            r => (r["userAgent"]!.GetValue<string>(), r["verb"]!.GetValue<string>(), r["resource"]!.GetValue<string>(), r["code"]!.GetValue<int>()),
            r => r["count"]!.GetValue<long>());
        body["total"]!.GetValue<long>().Should().Be(counts.Values.Sum());
        return counts;
    }

    /// <summary>Sends every request with the given User-Agent, as a client that names itself does.</summary>
    private sealed class UserAgentHandler(string userAgent) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.UserAgent.Clear();
            request.Headers.UserAgent.ParseAdd(userAgent);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
