using k8s;
using LbOperator.Sandbox;

namespace LbOperator.Tests.Sandbox;

/// <summary>A watch's response headers go out at once, not with its first event or bookmark.</summary>
[Category("Sandbox")]
public sealed class WatchHeadersTests
{
    [Test]
    public async Task Quiet_Watch_Sends_Its_Headers_Before_Any_Event()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { BookmarkInterval = TimeSpan.FromSeconds(60) });
        using var client = sandbox.CreateClient();
        var list = await client.CoreV1.ListNamespacedConfigMapAsync("default");
        using var http = new HttpClient { BaseAddress = sandbox.BaseAddress };
        using var headersWithin = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        using var response = await http.GetAsync(
            new Uri($"api/v1/namespaces/default/configmaps?watch=true&allowWatchBookmarks=true&resourceVersion={list.Metadata.ResourceVersion}", UriKind.Relative),
            HttpCompletionOption.ResponseHeadersRead, headersWithin.Token);

        response.StatusCode.Should().Be(System.Net.HttpStatusCode.OK, "the headers arrived although nothing changed and no bookmark is due for 60 s");
    }
}
