using System.Net;
using k8s;
using k8s.Models;

namespace LbOperator.Tests.Sandbox.Fidelity;

/// <summary>Server-side apply is not served: every object, present or not, answers 415 (never 404 first).</summary>
[Category("Sandbox")]
public sealed class ServerSideApplyTests : SandboxTestBase
{
    // KubernetesClient sends a patch body as JSON, which is YAML too.
    private static V1Patch Apply(string name) =>
        new($$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}"},"data":{"k":"v"}}""", V1Patch.PatchType.ApplyPatch);

    [Test]
    public async Task Applying_A_New_Object_Is_415()
    {
        var e = await Fails(() => Client.CoreV1.PatchNamespacedConfigMapAsync(Apply("new"), "new", Ns, fieldManager: "test"));

        e.Response.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        CrudTests.Status(e).Reason.Should().Be("UnsupportedMediaType");
    }

    [Test]
    public async Task A_Yaml_Apply_Body_Is_415_Too()
    {
        using var raw = new RawApi(Sandbox.BaseAddress);

        var (code, body) = await raw.SendAsync(HttpMethod.Patch, $"/api/v1/namespaces/{Ns}/configmaps/yaml?fieldManager=test",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: yaml\n", "application/apply-patch+yaml");

        code.Should().Be(HttpStatusCode.UnsupportedMediaType);
        body["reason"]!.GetValue<string>().Should().Be("UnsupportedMediaType");
    }

    [Test]
    public async Task Applying_An_Existing_Object_Is_415()
    {
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("old"), Ns);

        var e = await Fails(() => Client.CoreV1.PatchNamespacedConfigMapAsync(Apply("old"), "old", Ns, fieldManager: "test"));

        e.Response.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        (await Client.CoreV1.ReadNamespacedConfigMapAsync("old", Ns)).Data["k"].Should().Be("v");
    }

    [Test]
    public async Task Applying_To_A_Status_Or_Scale_Subresource_Is_415()
    {
        var status = await Fails(() => Client.CoreV1.PatchNamespacedServiceStatusAsync(Apply("missing"), "missing", Ns, fieldManager: "test"));
        var scale = await Fails(() => Client.AppsV1.PatchNamespacedDeploymentScaleAsync(Apply("missing"), "missing", Ns, fieldManager: "test"));

        status.Response.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        scale.Response.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
    }
}
