using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using LbOperator.Sandbox;

namespace LbOperator.Tests.Sandbox.Fidelity;

/// <summary>Continue tokens as kube-apiserver's etcd store hands them out, including the one a 410 carries.</summary>
[Category("Sandbox")]
public sealed class ContinueTokenTests : SandboxTestBase
{
    protected override SandboxOptions Options => base.Options with { WatchHistoryLimit = 5 };

    [Test]
    public async Task A_410_For_An_Old_Token_Carries_A_Token_That_Continues_At_The_Latest_Revision()
    {
        for (var i = 0; i < 3; i++)
        {
            await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap($"cm-{i}"), Ns);
        }

        var first = await Client.CoreV1.ListNamespacedConfigMapAsync(Ns, limit: 1);
        await Client.CoreV1.DeleteNamespacedConfigMapAsync("cm-2", Ns);
        for (var i = 0; i < 10; i++)
        {
            await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap($"more-{i}"), Ns);
        }

        var e = await Fails(() => Client.CoreV1.ListNamespacedConfigMapAsync(Ns, limit: 1, continueParameter: first.Metadata.ContinueProperty));
        e.Response.StatusCode.Should().Be(HttpStatusCode.Gone);
        var status = KubernetesJson.Deserialize<V1Status>(e.Response.Content);
        status.Reason.Should().Be("Expired");
        status.Message.Should().Contain("use the continue token in this response to retrieve the remainder of the results");
        var inconsistent = status.Metadata.ContinueProperty;
        inconsistent.Should().NotBeNullOrEmpty();

        // The rest of the list as it is now: cm-2 is gone, what was created since shows up.
        var names = new List<string>();
        var token = inconsistent;
        while (token is not null)
        {
            var page = await Client.CoreV1.ListNamespacedConfigMapAsync(Ns, limit: 4, continueParameter: token);
            names.AddRange(page.Items.Select(i => i.Metadata.Name));
            token = page.Metadata.ContinueProperty;
        }

        names.Should().Equal(["cm-1", .. Enumerable.Range(0, 10).Select(i => $"more-{i}")]);
        first.Items.Select(i => i.Metadata.Name).Should().Equal("cm-0");
    }

    [Test]
    public async Task Tokens_Are_Url_Safe_Base64_Of_Kube_Apiservers_Shape()
    {
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), Ns);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("b"), Ns);

        var page = await Client.CoreV1.ListNamespacedConfigMapAsync(Ns, limit: 1);

        var token = page.Metadata.ContinueProperty;
        token.Should().MatchRegex("^[A-Za-z0-9_-]+$");
        var decoded = JsonNode.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(token))!;
        decoded["v"]!.GetValue<string>().Should().Be("meta.k8s.io/v1");
        decoded["rv"]!.GetValue<long>().Should().Be(long.Parse(page.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Test]
    public async Task A_Token_With_Resource_Version_Zero_Is_A_Bad_Request()
    {
        var token = System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes("""{"v":"meta.k8s.io/v1","rv":0,"start":"x"}"""));

        var e = await Fails(() => Client.CoreV1.ListNamespacedConfigMapAsync(Ns, limit: 1, continueParameter: token));

        e.Response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        CrudTests.Status(e).Message.Should().Be("invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
    }
}
