using System.Net;
using System.Text;
using k8s;
using k8s.Models;

namespace LbOperator.Tests.Sandbox.Fidelity;

/// <summary>Secrets as kube-apiserver decodes and validates them (conversion of stringData, []byte data, ValidateSecret).</summary>
[Category("Sandbox")]
public sealed class SecretTests : SandboxTestBase
{
    private RawApi _raw = null!;

    [OneTimeSetUp]
    public void CreateRawApi() => _raw = new RawApi(Sandbox.BaseAddress);

    [OneTimeTearDown]
    public void DisposeRawApi() => _raw.Dispose();

    private string SecretsPath => $"/api/v1/namespaces/{Ns}/secrets";

    [Test]
    public async Task StringData_Is_Merged_Into_Data_And_Never_Returned()
    {
        var created = await Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "s" },
            Data = new Dictionary<string, byte[]> { ["kept"] = "one"u8.ToArray(), ["both"] = "from data"u8.ToArray() },
            StringData = new Dictionary<string, string> { ["password"] = "hunter2", ["both"] = "from stringData" },
        }, Ns);

        created.StringData.Should().BeNull();
        created.Data.ToDictionary(kv => kv.Key, kv => Encoding.UTF8.GetString(kv.Value)).Should().Equal(new Dictionary<string, string>
        {
            ["kept"] = "one",
            ["both"] = "from stringData",
            ["password"] = "hunter2",
        });
        var (_, stored) = await _raw.SendAsync(HttpMethod.Get, $"{SecretsPath}/s");
        stored.ContainsKey("stringData").Should().BeFalse();
        stored["data"]!["password"]!.GetValue<string>().Should().Be("aHVudGVyMg==");
    }

    [Test]
    public async Task StringData_Sent_With_An_Update_Or_A_Patch_Lands_In_Data()
    {
        var secret = await Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "s" } }, Ns);
        secret.StringData = new Dictionary<string, string> { ["a"] = "1" };
        var updated = await Client.CoreV1.ReplaceNamespacedSecretAsync(secret, "s", Ns);
        var patched = await Client.CoreV1.PatchNamespacedSecretAsync(new V1Patch("""{"stringData":{"b":"2"}}""", V1Patch.PatchType.MergePatch), "s", Ns);

        updated.Data.Keys.Should().Equal("a");
        patched.Data.Keys.Should().BeEquivalentTo(["a", "b"]);
        patched.StringData.Should().BeNull();
    }

    [Test]
    public async Task Type_Defaults_To_Opaque_And_Is_Immutable()
    {
        var created = await Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "s" } }, Ns);
        created.Type.Should().Be("Opaque");

        created.Type = "example.com/other";
        var e = await Fails(() => Client.CoreV1.ReplaceNamespacedSecretAsync(created, "s", Ns));

        e.Response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        CrudTests.Status(e).Message.Should().Be("Secret \"s\" is invalid: type: Invalid value: \"example.com/other\": field is immutable");
    }

    [Test]
    public async Task A_Tls_Secret_Requires_Its_Keys()
    {
        var e = await Fails(() => Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "tls" },
            Type = "kubernetes.io/tls",
            Data = new Dictionary<string, byte[]> { ["tls.crt"] = "cert"u8.ToArray() },
        }, Ns));

        var status = CrudTests.Status(e);
        status.Message.Should().Be("Secret \"tls\" is invalid: data[tls.key]: Required value");
        status.Details.Causes.Should().ContainSingle().Which.Field.Should().Be("data[tls.key]");
    }

    [TestCase("kubernetes.io/basic-auth", "data[username]", "data[password]")]
    [TestCase("kubernetes.io/ssh-auth", "data[ssh-privatekey]")]
    [TestCase("kubernetes.io/dockerconfigjson", "data[.dockerconfigjson]")]
    [TestCase("kubernetes.io/service-account-token", "metadata.annotations[kubernetes.io/service-account.name]")]
    public async Task Typed_Secrets_Name_What_They_Miss(string type, params string[] fields)
    {
        var e = await Fails(() => Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "typed" }, Type = type }, Ns));

        CrudTests.Status(e).Details.Causes.Select(c => c.Field).Should().Equal(fields);
    }

    [Test]
    public async Task A_Docker_Config_Must_Be_A_Json_Object()
    {
        var e = await Fails(() => Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "pull" },
            Type = "kubernetes.io/dockerconfigjson",
            Data = new Dictionary<string, byte[]> { [".dockerconfigjson"] = "[]"u8.ToArray() },
        }, Ns));

        CrudTests.Status(e).Details.Causes.Should().ContainSingle().Which.Message.Should().Be(
            "Invalid value: \"<secret contents redacted>\": json: cannot unmarshal array into Go value of type map[string]interface {}");
    }

    [Test]
    public async Task Keys_Must_Be_Config_Keys()
    {
        var e = await Fails(() => Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "s" },
            StringData = new Dictionary<string, string> { ["no spaces"] = "x" },
        }, Ns));

        var cause = CrudTests.Status(e).Details.Causes.Should().ContainSingle().Subject;
        cause.Field.Should().Be("data[no spaces]");
        cause.Message.Should().Be("Invalid value: \"no spaces\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
    }

    [Test]
    public async Task Data_That_Is_Not_Base64_Is_A_Bad_Request()
    {
        var (code, body) = await _raw.PostAsync(SecretsPath, """{"metadata":{"name":"s"},"data":{"ok":"YQ==","bad":"YWJjZA"}}""");

        code.Should().Be(HttpStatusCode.BadRequest);
        body["reason"]!.GetValue<string>().Should().Be("BadRequest");
        body["message"]!.GetValue<string>().Should().Be("Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte 4");
        (await Client.CoreV1.ListNamespacedSecretAsync(Ns)).Items.Should().BeEmpty();
    }

    [Test]
    public async Task A_Patch_That_Leaves_Data_Not_Base64_Is_Invalid_On_Field_Patch()
    {
        await Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "s" } }, Ns);

        var e = await Fails(() => Client.CoreV1.PatchNamespacedSecretAsync(new V1Patch("""{"data":{"k":"not base64"}}""", V1Patch.PatchType.MergePatch), "s", Ns));

        e.Response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var status = CrudTests.Status(e);
        status.Message.Should().StartWith(" \"\" is invalid: patch: Invalid value: \"{").And.EndWith("}\": illegal base64 data at input byte 3");
        status.Details.Causes.Should().ContainSingle().Which.Field.Should().Be("patch");
    }

    [Test]
    public async Task Data_Comes_Back_Canonically_Encoded()
    {
        var (code, body) = await _raw.PostAsync(SecretsPath, """{"metadata":{"name":"s"},"data":{"k":"YR==\n"}}""");

        code.Should().Be(HttpStatusCode.Created);
        body["data"]!["k"]!.GetValue<string>().Should().Be("YQ==");
    }

    [Test]
    public async Task An_Immutable_Secret_Keeps_Its_Data_And_Stays_Immutable()
    {
        var secret = await Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "s" },
            Immutable = true,
            StringData = new Dictionary<string, string> { ["k"] = "v" },
        }, Ns);
        secret.Data["k"] = "w"u8.ToArray();
        secret.Immutable = false;

        var e = await Fails(() => Client.CoreV1.ReplaceNamespacedSecretAsync(secret, "s", Ns));

        CrudTests.Status(e).Details.Causes.Select(c => (c.Field, c.Message)).Should().Equal(
            ("immutable", "Forbidden: field is immutable when `immutable` is set"),
            ("data", "Forbidden: field is immutable when `immutable` is set"));
        secret.Data["k"] = "v"u8.ToArray();
        secret.Immutable = true;
        secret.Metadata.Labels = new Dictionary<string, string> { ["metadata"] = "may-change" };
        (await Client.CoreV1.ReplaceNamespacedSecretAsync(secret, "s", Ns)).Metadata.Labels.Should().ContainKey("metadata");
    }
}
