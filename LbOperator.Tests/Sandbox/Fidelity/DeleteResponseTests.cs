using System.Net;
using k8s;
using k8s.Models;

namespace LbOperator.Tests.Sandbox.Fidelity;

/// <summary>The status codes of DELETE as kube-apiserver's delete handler answers them.</summary>
[Category("Sandbox")]
public sealed class DeleteResponseTests : SandboxTestBase
{
    private RawApi _raw = null!;

    [OneTimeSetUp]
    public void CreateRawApi() => _raw = new RawApi(Sandbox.BaseAddress);

    [OneTimeTearDown]
    public void DisposeRawApi() => _raw.Dispose();

    private async Task CreateWithFinalizerAsync(string name)
    {
        var cm = ConfigMap(name);
        cm.Metadata.Finalizers = ["example.com/hold"];
        await Client.CoreV1.CreateNamespacedConfigMapAsync(cm, Ns);
    }

    [Test]
    public async Task Pending_Finalizers_Answer_200_With_The_Object()
    {
        await CreateWithFinalizerAsync("held");

        var (code, body) = await _raw.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{Ns}/configmaps/held");

        code.Should().Be(HttpStatusCode.OK);
        body["kind"]!.GetValue<string>().Should().Be("ConfigMap");
        body["metadata"]!["deletionTimestamp"].Should().NotBeNull();
    }

    [Test]
    public async Task Pending_Finalizers_Answer_202_When_OrphanDependents_Is_False()
    {
        await CreateWithFinalizerAsync("held");

        var (code, body) = await _raw.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{Ns}/configmaps/held", """{"orphanDependents":false}""");

        code.Should().Be(HttpStatusCode.Accepted);
        body["kind"]!.GetValue<string>().Should().Be("ConfigMap");
    }

    [Test]
    public async Task An_Immediate_Delete_Answers_200_Even_With_OrphanDependents_False()
    {
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("gone"), Ns);

        var (code, body) = await _raw.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{Ns}/configmaps/gone?orphanDependents=false");

        code.Should().Be(HttpStatusCode.OK);
        body["kind"]!.GetValue<string>().Should().Be("Status");
    }

    [Test]
    public async Task A_Graceful_Pod_Delete_And_A_Namespace_Delete_Answer_200()
    {
        await Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "p" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox" }] },
        }, Ns);
        await Eventually(() => Client.CoreV1.ReadNamespacedPodAsync("p", Ns), p => p.Spec.NodeName is not null, "the pod to be bound");

        var pod = await _raw.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{Ns}/pods/p");
        var ns = await _raw.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{Ns}");

        pod.Code.Should().Be(HttpStatusCode.OK);
        ns.Code.Should().Be(HttpStatusCode.OK);
        ns.Body["status"]!["phase"]!.GetValue<string>().Should().Be("Terminating");
    }
}
