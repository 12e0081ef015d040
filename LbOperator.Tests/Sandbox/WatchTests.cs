using System.Net;
using k8s;
using k8s.Models;
using LbOperator.Sandbox;

namespace LbOperator.Tests.Sandbox;

[Category("Sandbox")]
public sealed class WatchTests : SandboxTestBase
{
    [Test]
    public async Task Watch_Without_ResourceVersion_Sends_Current_Objects_Then_Changes()
    {
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("existing"), Ns);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var events = new List<(WatchEventType, string)>();
        var watching = Task.Run(async () =>
        {
            await foreach (var (type, cm) in Client.CoreV1.WatchListNamespacedConfigMapAsync(Ns, cancellationToken: cts.Token))
            {
                events.Add((type, cm.Metadata.Name));
                if (type == WatchEventType.Deleted)
                {
                    return;
                }
            }
        });
        await Eventually(() => Task.FromResult(events.Count), c => c >= 1, "initial ADDED");
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("new"), Ns);
        created.Data["k"] = "changed";
        await Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "new", Ns);
        await Client.CoreV1.DeleteNamespacedConfigMapAsync("new", Ns);
        await watching.WaitAsync(cts.Token);
        events.Should().Equal(
            (WatchEventType.Added, "existing"),
            (WatchEventType.Added, "new"),
            (WatchEventType.Modified, "new"),
            (WatchEventType.Deleted, "new"));
    }

    [Test]
    public async Task Watch_From_A_ResourceVersion_Resumes_After_It()
    {
        var first = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("first"), Ns);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("second"), Ns);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("third"), Ns);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var names = new List<string>();
        await foreach (var (type, cm) in Client.CoreV1.WatchListNamespacedConfigMapAsync(Ns, resourceVersion: first.Metadata.ResourceVersion, cancellationToken: cts.Token))
        {
            type.Should().Be(WatchEventType.Added);
            names.Add(cm.Metadata.Name);
            if (names.Count == 2)
            {
                break;
            }
        }

        names.Should().Equal("second", "third");
    }

    [Test]
    public async Task Watch_Sends_Bookmarks_When_Allowed()
    {
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), Ns);
        var list = await Client.CoreV1.ListNamespacedConfigMapAsync(Ns);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (var (type, cm) in Client.CoreV1.WatchListNamespacedConfigMapAsync(
            Ns, allowWatchBookmarks: true, resourceVersion: list.Metadata.ResourceVersion, cancellationToken: cts.Token))
        {
            type.Should().Be(WatchEventType.Bookmark);
            long.Parse(cm.Metadata.ResourceVersion).Should().BeGreaterThanOrEqualTo(long.Parse(list.Metadata.ResourceVersion));
            cm.Metadata.Name.Should().BeNull();
            break;
        }
    }

    [Test]
    public async Task Watch_Ends_After_TimeoutSeconds()
    {
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), Ns);
        var started = DateTime.UtcNow;
        var count = 0;
        await foreach (var _ in Client.CoreV1.WatchListNamespacedConfigMapAsync(Ns, timeoutSeconds: 1))
        {
            count++;
        }

        count.Should().Be(1);
        (DateTime.UtcNow - started).Should().BeGreaterThan(TimeSpan.FromMilliseconds(900)).And.BeLessThan(TimeSpan.FromSeconds(5));
    }

    [Test]
    public async Task Watch_With_A_Label_Selector_Sees_Objects_Enter_And_Leave_It()
    {
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a", new() { ["app"] = "x" }), Ns);
        var rv = (await Client.CoreV1.ListNamespacedConfigMapAsync(Ns)).Metadata.ResourceVersion;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var events = new List<(WatchEventType, string)>();
        var watching = Task.Run(async () =>
        {
            await foreach (var (type, cm) in Client.CoreV1.WatchListNamespacedConfigMapAsync(Ns, labelSelector: "app=y", resourceVersion: rv, cancellationToken: cts.Token))
            {
                events.Add((type, cm.Metadata.Name));
                if (events.Count == 2)
                {
                    return;
                }
            }
        });
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("other", new() { ["app"] = "x" }), Ns);
        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"metadata\":{\"labels\":{\"app\":\"y\"}}}", V1Patch.PatchType.MergePatch), "a", Ns);
        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"metadata\":{\"labels\":{\"app\":\"z\"}}}", V1Patch.PatchType.MergePatch), "a", Ns);
        await watching.WaitAsync(cts.Token);
        events.Should().Equal((WatchEventType.Added, "a"), (WatchEventType.Deleted, "a"));
    }

    [Test]
    public async Task Watch_With_A_Field_Selector_Follows_One_Object()
    {
        var rv = (await Client.CoreV1.ListNamespacedConfigMapAsync(Ns)).Metadata.ResourceVersion;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var watching = Task.Run(async () =>
        {
            await foreach (var (_, cm) in Client.CoreV1.WatchListNamespacedConfigMapAsync(Ns, fieldSelector: "metadata.name=b", resourceVersion: rv, cancellationToken: cts.Token))
            {
                return cm.Metadata.Name;
            }

            return null;
        });
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), Ns);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("b"), Ns);
        (await watching.WaitAsync(cts.Token)).Should().Be("b");
    }

    [Test]
    public async Task Watch_Across_Namespaces_Sees_Every_Namespace()
    {
        var rv = (await Client.CoreV1.ListConfigMapForAllNamespacesAsync()).Metadata.ResourceVersion;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var watching = Task.Run(async () =>
        {
            await foreach (var (_, cm) in Client.CoreV1.WatchListConfigMapForAllNamespacesAsync(resourceVersion: rv, cancellationToken: cts.Token))
            {
                if (cm.Metadata.NamespaceProperty == Ns)
                {
                    return cm.Metadata.Name;
                }
            }

            return null;
        });
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("here"), Ns);
        (await watching.WaitAsync(cts.Token)).Should().Be("here");
    }

    [Test]
    public async Task Exact_List_Returns_The_State_At_That_ResourceVersion()
    {
        var first = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("first"), Ns);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("second"), Ns);
        await Client.CoreV1.DeleteNamespacedConfigMapAsync("first", Ns);
        var then = await Client.CoreV1.ListNamespacedConfigMapAsync(Ns, resourceVersion: first.Metadata.ResourceVersion, resourceVersionMatch: "Exact");
        then.Items.Select(i => i.Metadata.Name).Should().Equal("first");
        then.Metadata.ResourceVersion.Should().Be(first.Metadata.ResourceVersion);
        var now = await Client.CoreV1.ListNamespacedConfigMapAsync(Ns);
        now.Items.Select(i => i.Metadata.Name).Should().Equal("second");
    }

    [Test]
    public async Task List_With_A_Too_Large_ResourceVersion_Is_A_Timeout()
    {
        var e = await Fails(() => Client.CoreV1.ListNamespacedConfigMapAsync(Ns, resourceVersion: "999999999"));
        e.Response.StatusCode.Should().Be(HttpStatusCode.GatewayTimeout);
    }
}

/// <summary>A sandbox with a tiny watch history, so resourceVersions expire quickly.</summary>
[Category("Sandbox")]
public sealed class WatchExpiryTests : SandboxTestBase
{
    protected override SandboxOptions Options => base.Options with { WatchHistoryLimit = 5 };

    [Test]
    public async Task Watch_From_A_Compacted_ResourceVersion_Gets_A_410_Error_Event()
    {
        var old = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("old"), Ns);
        for (var i = 0; i < 10; i++)
        {
            await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap($"cm-{i}"), Ns);
        }

        Exception? error = null;
        var events = 0;
        await foreach (var _ in Client.CoreV1.WatchListNamespacedConfigMapAsync(Ns, resourceVersion: old.Metadata.ResourceVersion, onError: e => error = e))
        {
            events++;
        }

        events.Should().Be(0);
        var status = error.Should().BeOfType<KubernetesException>().Which.Status;
        status.Code.Should().Be(410);
        status.Reason.Should().Be("Expired");
        status.Message.Should().StartWith($"too old resource version: {old.Metadata.ResourceVersion}");
    }

    [Test]
    public async Task List_With_A_Compacted_Continue_Token_Is_410()
    {
        for (var i = 0; i < 3; i++)
        {
            await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap($"cm-{i}"), Ns);
        }

        var page = await Client.CoreV1.ListNamespacedConfigMapAsync(Ns, limit: 1);
        for (var i = 0; i < 10; i++)
        {
            await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap($"more-{i}"), Ns);
        }

        var e = await Fails(() => Client.CoreV1.ListNamespacedConfigMapAsync(Ns, limit: 1, continueParameter: page.Metadata.ContinueProperty));
        e.Response.StatusCode.Should().Be(HttpStatusCode.Gone);
        CrudTests.Status(e).Reason.Should().Be("Expired");
    }

    [Test]
    public async Task Exact_List_Of_A_Compacted_ResourceVersion_Is_410()
    {
        var old = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("old"), Ns);
        for (var i = 0; i < 10; i++)
        {
            await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap($"cm-{i}"), Ns);
        }

        var e = await Fails(() => Client.CoreV1.ListNamespacedConfigMapAsync(Ns, resourceVersion: old.Metadata.ResourceVersion, resourceVersionMatch: "Exact"));
        ((int)e.Response.StatusCode).Should().Be(410);
    }
}
