using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace LbOperator.Tests.Sandbox;

[Category("Sandbox")]
public sealed class CrudTests : SandboxTestBase
{
    [Test]
    public async Task Create_Sets_Uid_CreationTimestamp_And_ResourceVersion()
    {
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), Ns);
        created.Metadata.Uid.Should().NotBeNullOrEmpty();
        created.Metadata.CreationTimestamp.Should().NotBeNull();
        created.Metadata.ResourceVersion.Should().NotBeNullOrEmpty();
        created.Metadata.NamespaceProperty.Should().Be(Ns);

        var fetched = await Client.CoreV1.ReadNamespacedConfigMapAsync("a", Ns);
        fetched.Data.Should().Equal(new Dictionary<string, string> { ["k"] = "v" });
        fetched.Metadata.ResourceVersion.Should().Be(created.Metadata.ResourceVersion);
    }

    [Test]
    public async Task Every_Write_Takes_A_Newer_ResourceVersion()
    {
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), Ns);
        created.Data["k"] = "w";
        var updated = await Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "a", Ns);
        long.Parse(updated.Metadata.ResourceVersion).Should().BeGreaterThan(long.Parse(created.Metadata.ResourceVersion));
    }

    [Test]
    public async Task GenerateName_Appends_Five_Characters()
    {
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { GenerateName = "gen-" } }, Ns);
        created.Metadata.Name.Should().MatchRegex("^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$");
    }

    [Test]
    public async Task Create_Twice_Is_AlreadyExists()
    {
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), Ns);
        var e = await Fails(() => Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), Ns));
        e.Response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        var status = Status(e);
        status.Reason.Should().Be("AlreadyExists");
        status.Message.Should().Be("configmaps \"a\" already exists");
        status.Details.Name.Should().Be("a");
        status.Details.Kind.Should().Be("configmaps");
    }

    [Test]
    public async Task Get_Of_A_Missing_Object_Is_NotFound()
    {
        var e = await Fails(() => Client.CoreV1.ReadNamespacedServiceAsync("nope", Ns));
        e.Response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        Status(e).Message.Should().Be("services \"nope\" not found");
        Status(e).Reason.Should().Be("NotFound");

        var apps = await Fails(() => Client.AppsV1.ReadNamespacedDeploymentAsync("nope", Ns));
        Status(apps).Message.Should().Be("deployments.apps \"nope\" not found");
        Status(apps).Details.Group.Should().Be("apps");
    }

    [Test]
    public async Task Create_In_A_Missing_Namespace_Is_NotFound()
    {
        var e = await Fails(() => Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "no-such-ns"));
        Status(e).Message.Should().Be("namespaces \"no-such-ns\" not found");
    }

    [Test]
    public async Task Stale_ResourceVersion_Is_Conflict()
    {
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), Ns);
        var stale = await Client.CoreV1.ReadNamespacedConfigMapAsync("a", Ns);
        created.Data["k"] = "first";
        await Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "a", Ns);
        stale.Data["k"] = "second";
        var e = await Fails(() => Client.CoreV1.ReplaceNamespacedConfigMapAsync(stale, "a", Ns));
        e.Response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        Status(e).Reason.Should().Be("Conflict");
        Status(e).Message.Should().Be("Operation cannot be fulfilled on configmaps \"a\": the object has been modified; please apply your changes to the latest version and try again");
    }

    [Test]
    public async Task Invalid_Name_Is_422_With_A_Field_Cause()
    {
        var e = await Fails(() => Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("Bad_Name"), Ns));
        e.Response.StatusCode.Should().Be((HttpStatusCode)422);
        var status = Status(e);
        status.Reason.Should().Be("Invalid");
        status.Message.Should().StartWith("ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain");
        status.Details.Kind.Should().Be("ConfigMap");
        status.Details.Causes.Should().ContainSingle(c => c.Field == "metadata.name" && c.Reason == "FieldValueInvalid");
    }

    [Test]
    public async Task Missing_Name_Is_422_Required()
    {
        var e = await Fails(() => Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta() }, Ns));
        Status(e).Details.Causes.Should().ContainSingle(c => c.Field == "metadata.name" && c.Reason == "FieldValueRequired");
        Status(e).Message.Should().Contain("metadata.name: Required value: name or generateName is required");
    }

    [Test]
    public async Task Delete_Removes_The_Object()
    {
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), Ns);
        await Client.CoreV1.DeleteNamespacedConfigMapAsync("a", Ns);
        (await Fails(() => Client.CoreV1.ReadNamespacedConfigMapAsync("a", Ns))).Response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await Fails(() => Client.CoreV1.DeleteNamespacedConfigMapAsync("a", Ns))).Response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task DeleteCollection_Deletes_Only_Matching_Objects()
    {
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a", new() { ["app"] = "x" }), Ns);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("b", new() { ["app"] = "y" }), Ns);
        await Client.CoreV1.DeleteCollectionNamespacedConfigMapAsync(Ns, labelSelector: "app=x");
        var left = await Client.CoreV1.ListNamespacedConfigMapAsync(Ns);
        left.Items.Select(i => i.Metadata.Name).Should().Equal("b");
    }

    [Test]
    public async Task List_Is_Namespaced_And_Sorted()
    {
        foreach (var name in new[] { "c", "a", "b" })
        {
            await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap(name), Ns);
        }

        var list = await Client.CoreV1.ListNamespacedConfigMapAsync(Ns);
        list.Items.Select(i => i.Metadata.Name).Should().Equal("a", "b", "c");
        list.Metadata.ResourceVersion.Should().NotBeNullOrEmpty();
        var all = await Client.CoreV1.ListConfigMapForAllNamespacesAsync();
        all.Items.Should().Contain(i => i.Metadata.NamespaceProperty == Ns && i.Metadata.Name == "a");
    }

    [Test]
    public async Task List_With_Limit_Pages_Through_Continue()
    {
        for (var i = 0; i < 5; i++)
        {
            await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap($"cm-{i}"), Ns);
        }

        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Client.CoreV1.ListNamespacedConfigMapAsync(Ns, limit: 2, continueParameter: token);
            names.AddRange(page.Items.Select(i => i.Metadata.Name));
            token = page.Metadata.ContinueProperty;
            pages++;
            if (token is not null)
            {
                page.Metadata.RemainingItemCount.Should().Be(5 - names.Count);
                // Changes between pages do not show: the pages form one consistent snapshot.
                await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap($"late-{pages}"), Ns);
            }
        }
        while (token is not null);

        pages.Should().Be(3);
        names.Should().Equal("cm-0", "cm-1", "cm-2", "cm-3", "cm-4");
    }

    [Test]
    public async Task Label_Selectors_Filter_Equality_And_Sets()
    {
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a", new() { ["app"] = "web", ["tier"] = "front" }), Ns);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("b", new() { ["app"] = "db" }), Ns);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("c", new() { ["app"] = "cache", ["tier"] = "back" }), Ns);

        async Task<string[]> Names(string selector) =>
            [.. (await Client.CoreV1.ListNamespacedConfigMapAsync(Ns, labelSelector: selector)).Items.Select(i => i.Metadata.Name)];

        (await Names("app=web")).Should().Equal("a");
        (await Names("app!=web")).Should().Equal("b", "c");
        (await Names("app in (db,cache)")).Should().Equal("b", "c");
        (await Names("app notin (db)")).Should().Equal("a", "c");
        (await Names("tier")).Should().Equal("a", "c");
        (await Names("!tier")).Should().Equal("b");
        (await Names("tier,app=cache")).Should().Equal("c");
    }

    [Test]
    public async Task Field_Selectors_Filter_By_Name_And_Reject_Unknown_Fields()
    {
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), Ns);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("b"), Ns);
        var list = await Client.CoreV1.ListNamespacedConfigMapAsync(Ns, fieldSelector: "metadata.name=b");
        list.Items.Select(i => i.Metadata.Name).Should().Equal("b");
        var notA = await Client.CoreV1.ListNamespacedConfigMapAsync(Ns, fieldSelector: "metadata.name!=a");
        notA.Items.Select(i => i.Metadata.Name).Should().Equal("b");

        var e = await Fails(() => Client.CoreV1.ListNamespacedConfigMapAsync(Ns, fieldSelector: "data.k=v"));
        e.Response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        Status(e).Message.Should().Be("field label not supported: data.k");
    }

    [Test]
    public async Task Event_Field_Selectors_Match_InvolvedObject()
    {
        foreach (var (name, target) in new[] { ("e1", "pod-a"), ("e2", "pod-b") })
        {
            await Client.CoreV1.CreateNamespacedEventAsync(new Corev1Event
            {
                Metadata = new V1ObjectMeta { Name = name },
                InvolvedObject = new V1ObjectReference { Kind = "Pod", Name = target, NamespaceProperty = Ns },
                Reason = "Test",
                Message = "hello",
            }, Ns);
        }

        var list = await Client.CoreV1.ListNamespacedEventAsync(Ns, fieldSelector: "involvedObject.kind=Pod,involvedObject.name=pod-b");
        list.Items.Select(i => i.Metadata.Name).Should().Equal("e2");
    }

    [Test]
    public async Task EventsV1_And_CoreV1_Events_Are_One_Resource()
    {
        await Client.EventsV1.CreateNamespacedEventAsync(new Eventsv1Event
        {
            Metadata = new V1ObjectMeta { Name = "ev" },
            EventTime = DateTime.UtcNow,
            Regarding = new V1ObjectReference { Kind = "Service", Name = "svc", NamespaceProperty = Ns },
            Note = "allocated",
            Reason = "Allocated",
            Type = "Normal",
            Action = "Allocate",
            ReportingController = "lb",
            ReportingInstance = "lb-1",
        }, Ns);
        var core = await Client.CoreV1.ReadNamespacedEventAsync("ev", Ns);
        core.Message.Should().Be("allocated");
        core.InvolvedObject.Name.Should().Be("svc");
        core.ReportingComponent.Should().Be("lb");
        var back = await Client.EventsV1.ReadNamespacedEventAsync("ev", Ns);
        back.Note.Should().Be("allocated");
        back.Regarding.Kind.Should().Be("Service");
    }

    [Test]
    public async Task Merge_Patch_Changes_Only_The_Given_Fields()
    {
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a", data: new() { ["x"] = "1", ["y"] = "2" }), Ns);
        var patch = new V1Patch("{\"data\":{\"x\":\"10\",\"y\":null},\"metadata\":{\"labels\":{\"l\":\"v\"}}}", V1Patch.PatchType.MergePatch);
        var patched = await Client.CoreV1.PatchNamespacedConfigMapAsync(patch, "a", Ns);
        patched.Data.Should().Equal(new Dictionary<string, string> { ["x"] = "10" });
        patched.Metadata.Labels.Should().Contain("l", "v");
    }

    [Test]
    public async Task Json_Patch_Applies_Operations_And_Test_Fails_With_422()
    {
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a", data: new() { ["x"] = "1" }), Ns);
        var patch = new V1Patch("[{\"op\":\"add\",\"path\":\"/data/y\",\"value\":\"2\"},{\"op\":\"replace\",\"path\":\"/data/x\",\"value\":\"3\"}]", V1Patch.PatchType.JsonPatch);
        var patched = await Client.CoreV1.PatchNamespacedConfigMapAsync(patch, "a", Ns);
        patched.Data.Should().Equal(new Dictionary<string, string> { ["x"] = "3", ["y"] = "2" });

        var failing = new V1Patch("[{\"op\":\"test\",\"path\":\"/data/x\",\"value\":\"nope\"}]", V1Patch.PatchType.JsonPatch);
        var e = await Fails(() => Client.CoreV1.PatchNamespacedConfigMapAsync(failing, "a", Ns));
        e.Response.StatusCode.Should().Be((HttpStatusCode)422);
    }

    [Test]
    public async Task Patch_With_A_Stale_ResourceVersion_Is_Conflict()
    {
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), Ns);
        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"data\":{\"k\":\"2\"}}", V1Patch.PatchType.MergePatch), "a", Ns);
        var stale = new V1Patch($"{{\"metadata\":{{\"resourceVersion\":\"{created.Metadata.ResourceVersion}\"}},\"data\":{{\"k\":\"3\"}}}}", V1Patch.PatchType.MergePatch);
        (await Fails(() => Client.CoreV1.PatchNamespacedConfigMapAsync(stale, "a", Ns))).Response.StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Test]
    public async Task Strategic_Merge_Patch_Merges_Into_The_Object()
    {
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a", data: new() { ["k"] = "1", ["gone"] = "x" }), Ns);
        var patch = new V1Patch("{\"data\":{\"k\":\"2\",\"gone\":null}}", V1Patch.PatchType.StrategicMergePatch);
        var patched = await Client.CoreV1.PatchNamespacedConfigMapAsync(patch, "a", Ns);
        patched.Data.Should().BeEquivalentTo(new Dictionary<string, string> { ["k"] = "2" });
    }

    [Test]
    public async Task Update_Without_Changes_Keeps_The_ResourceVersion()
    {
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), Ns);
        var same = await Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "a", Ns);
        same.Metadata.ResourceVersion.Should().Be(created.Metadata.ResourceVersion);
    }

    [Test]
    public async Task Update_Of_A_Name_Different_From_The_Url_Is_BadRequest()
    {
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), Ns);
        created.Metadata.Name = "b";
        var e = await Fails(() => Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "a", Ns));
        e.Response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        Status(e).Message.Should().Be("the name of the object (b) does not match the name on the URL (a)");
    }

    [Test]
    public async Task DryRun_Create_Does_Not_Persist()
    {
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), Ns, dryRun: "All");
        created.Metadata.Name.Should().Be("a");
        (await Fails(() => Client.CoreV1.ReadNamespacedConfigMapAsync("a", Ns))).Response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Unknown_Paths_Answer_A_404_Status()
    {
        using var http = new HttpClient { BaseAddress = Sandbox.BaseAddress };
        var response = await http.GetAsync("/api/v1/namespaces/default/nothings");
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        var status = KubernetesJson.Deserialize<V1Status>(await response.Content.ReadAsStringAsync());
        status.Kind.Should().Be("Status");
        status.Code.Should().Be(404);
    }

    internal static V1Status Status(HttpOperationException e) =>
        KubernetesJson.Deserialize<V1Status>(e.Response.Content);
}
