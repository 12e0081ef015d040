using System.Text;
using System.Text.Json.Nodes;

namespace LbOperator.Tests.Sandbox.Kubectl;

/// <summary>The places the sandbox now answers as kube-apiserver 1.32 does, seen through kubectl.</summary>
[Category("Kubectl")]
public sealed class FidelityKubectlTests : KubectlTestBase
{
    private async Task<JsonNode> GetJson(params string[] target) =>
        JsonNode.Parse(await Kubectl.RunOkAsync([.. target, "-n", Ns, "-o", "json"]))!;

    [Test]
    public async Task Apply_Of_A_Secret_With_StringData_Stores_Base64_Data_Only()
    {
        await Kubectl.RunOkWithInputAsync("""
            apiVersion: v1
            kind: Secret
            metadata:
              name: creds
            stringData:
              password: hunter2
            """, "apply", "-n", Ns, "-f", "-");

        var secret = await GetJson("get", "secret", "creds");

        secret["type"]!.GetValue<string>().Should().Be("Opaque");
        secret["data"]!["password"]!.GetValue<string>().Should().Be(Convert.ToBase64String(Encoding.UTF8.GetBytes("hunter2")));
        secret.AsObject().ContainsKey("stringData").Should().BeFalse();
    }

    [Test]
    public async Task Apply_Of_A_Tls_Secret_Without_Its_Key_Fails_With_The_Field()
    {
        var result = await Kubectl.RunAsync(["apply", "-n", Ns, "-f", "-"], """
            apiVersion: v1
            kind: Secret
            metadata:
              name: tls
            type: kubernetes.io/tls
            stringData:
              tls.crt: cert
            """);

        result.ExitCode.Should().NotBe(0, result.ToString());
        result.StdErr.Should().Contain("Secret \"tls\" is invalid: data[tls.key]: Required value");
    }

    [Test]
    public async Task Changing_An_Immutable_ConfigMap_Fails()
    {
        const string ConfigMap = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: frozen
            immutable: true
            data:
              k: v
            """;
        await Kubectl.RunOkWithInputAsync(ConfigMap, "apply", "-n", Ns, "-f", "-");

        var result = await Kubectl.RunAsync(["apply", "-n", Ns, "-f", "-"], ConfigMap.Replace("k: v", "k: w", StringComparison.Ordinal));

        result.ExitCode.Should().NotBe(0, result.ToString());
        result.StdErr.Should().Contain("data: Forbidden: field is immutable when `immutable` is set");
    }

    [Test]
    public async Task Delete_Of_An_Object_With_A_Finalizer_Reports_It_Deleted_And_Leaves_It_Terminating()
    {
        await Kubectl.RunOkWithInputAsync("""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: held
              finalizers: ["example.com/hold"]
            """, "apply", "-n", Ns, "-f", "-");

        var output = await Kubectl.RunOkAsync("delete", "configmap", "held", "-n", Ns, "--wait=false");

        output.Should().Contain("configmap \"held\" deleted");
        (await GetJson("get", "configmap", "held"))["metadata"]!["deletionTimestamp"].Should().NotBeNull();
    }

    [Test]
    public async Task Server_Side_Apply_Is_Refused_With_415()
    {
        var result = await Kubectl.RunAsync(["apply", "--server-side", "-n", Ns, "-f", "-"], """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: ssa
            data:
              k: v
            """);

        result.ExitCode.Should().NotBe(0, result.ToString());
        result.StdErr.Should().Contain("the body of the request was in an unknown format");
    }

    [Test]
    public async Task The_Node_Shows_Its_Machine_Identifiers()
    {
        var output = await Kubectl.RunOkAsync("get", "node", "sandbox-node", "-o", "jsonpath={.status.nodeInfo.machineID} {.status.nodeInfo.systemUUID} {.status.nodeInfo.bootID}");

        output.Trim().Should().MatchRegex("^[0-9a-f]{32} [0-9a-f-]{36} [0-9a-f-]{36}$");
    }
}
