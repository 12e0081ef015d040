using System.Net;
using k8s;
using k8s.Models;

namespace LbOperator.Tests.Sandbox.Fidelity;

/// <summary>ConfigMaps as kube-apiserver validates them (ValidateConfigMap, ValidateConfigMapUpdate).</summary>
[Category("Sandbox")]
public sealed class ConfigMapTests : SandboxTestBase
{
    [TestCase("no spaces", "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')")]
    [TestCase("..hidden", "must not start with '..'")]
    [TestCase("..", "must not be '..'")]
    public async Task Keys_Are_Validated(string key, string problem)
    {
        var e = await Fails(() => Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("cm", data: new() { [key] = "v" }), Ns));

        e.Response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var cause = CrudTests.Status(e).Details.Causes.Should().ContainSingle().Subject;
        cause.Field.Should().Be($"data[{key}]");
        cause.Message.Should().Be($"Invalid value: \"{key}\": {problem}");
    }

    [Test]
    public async Task A_Key_May_Not_Be_In_Data_And_BinaryData()
    {
        var e = await Fails(() => Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "cm" },
            Data = new Dictionary<string, string> { ["k"] = "v" },
            BinaryData = new Dictionary<string, byte[]> { ["k"] = [1, 2] },
        }, Ns));

        CrudTests.Status(e).Details.Causes.Should().ContainSingle().Which.Message.Should().Be("Invalid value: \"k\": duplicate of key present in binaryData");
    }

    [Test]
    public async Task Immutable_Forbids_Changing_Data()
    {
        var cm = ConfigMap("cm");
        cm.Immutable = true;
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(cm, Ns);
        created.Data["k"] = "changed";

        var e = await Fails(() => Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "cm", Ns));

        e.Response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        CrudTests.Status(e).Message.Should().Be("ConfigMap \"cm\" is invalid: data: Forbidden: field is immutable when `immutable` is set");
        var patch = await Fails(() => Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"immutable":false}""", V1Patch.PatchType.MergePatch), "cm", Ns));
        CrudTests.Status(patch).Details.Causes.Should().ContainSingle().Which.Field.Should().Be("immutable");
    }
}
