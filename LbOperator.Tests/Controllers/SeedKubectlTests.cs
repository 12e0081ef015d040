using LbOperator.Controllers;
using LbOperator.Framework.Entities;
using LbOperator.Gateway;
using LbOperator.LoadBalancing;
using LbOperator.Tests.Sandbox.Kubectl;
using LbOperator.Tests.Testing;

namespace LbOperator.Tests.Controllers;

/// <summary>The seed's manifests applied unchanged with kubectl, as a user would, against the sandbox with the operator.</summary>
[Category("Kubectl")]
[NonParallelizable]
public sealed class SeedKubectlTests : OperatorTestBase
{
    private const string SeedProvider = "lb-svc-attachment.kube-system";
    private string _directory = "";
    private KubectlRunner _kubectl = null!;

    [OneTimeSetUp]
    public void WriteKubeconfig()
    {
        KubectlRunner.RequireKubectl();
        _directory = Directory.CreateTempSubdirectory("lbop-operator-").FullName;
        var kubeconfig = Path.Combine(_directory, "kubeconfig");
        Sandbox.WriteKubeconfig(kubeconfig);
        _kubectl = new KubectlRunner(kubeconfig, Path.Combine(_directory, "cache"));
    }

    [OneTimeTearDown]
    public void RemoveKubeconfig()
    {
        if (_directory.Length > 0)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static string Example(string file) => Path.Combine(RepositoryRoot.Path, "examples", file);

    private async Task ApplySeedAsync()
    {
        foreach (var file in new[] { "nad.yaml", "subnet.yaml", "deployment.yaml", "service.yaml" })
        {
            await _kubectl.RunOkAsync("apply", "-f", Example(file));
        }
    }

    [Test]
    public async Task Seed_Manifests_Give_The_Service_Its_External_IP_And_A_Gateway()
    {
        await ApplySeedAsync();
        var service = await Eventually(() => Client.GetAsync<k8s.Models.V1Service>("test-service", "default"),
            s => s is not null && ConditionList.IsTrue(s.Status?.Conditions, ServiceController.ConditionType), "the seed Service to be ready");
        Ingress(service!).Should().Equal("172.18.0.18");

        var services = await _kubectl.RunOkAsync("get", "svc", "test-service", "-n", "default");
        services.Should().Contain("LoadBalancer").And.Contain("172.18.0.18").And.Contain("80:");

        var gateway = await _kubectl.RunOkAsync("get", "deployment", GatewayNames.Deployment("test-service"), "-n", "default",
            "-o", "jsonpath={.spec.template.metadata.annotations}");
        gateway.Should().Contain(Annotations.MultusNetworks).And.Contain("lb-svc-attachment").And.Contain("net1")
            .And.Contain($"{Annotations.IpAddress(SeedProvider)}\":\"172.18.0.18\"")
            .And.Contain($"{Annotations.LogicalSwitch(SeedProvider)}\":\"attach-subnet\"")
            .And.Contain($"{Annotations.Cidr(SeedProvider)}\":\"172.18.0.0/16\"")
            .And.Contain($"{Annotations.Gateway(SeedProvider)}\":\"172.18.0.1\"");

        var subnets = await Eventually(() => _kubectl.RunOkAsync("get", "subnets"),
            text => text.Split('\n').Any(l => l.StartsWith("attach-subnet", StringComparison.Ordinal) && l.Contains(" 1 ", StringComparison.Ordinal)),
            "kubectl get subnets to show one address in use");
        subnets.Should().Contain("lb-svc-attachment.kube-system").And.Contain("172.18.0.0/16").And.Contain("65523");

        var events = await _kubectl.RunOkAsync("get", "events", "-n", "default", "--field-selector", "involvedObject.name=test-service");
        events.Should().Contain(EventReasons.AddressAllocated).And.Contain(EventReasons.GatewayReady);
    }

    [Test]
    public async Task Seed_Service_Without_LoadBalancerIP_Gets_The_Lowest_Free_Address_And_A_Taken_One_Is_Refused()
    {
        await ApplySeedAsync();
        await Eventually(() => Client.GetAsync<k8s.Models.V1Service>("test-service", "default"),
            s => s is not null && Ingress(s).SequenceEqual(["172.18.0.18"]), "the seed Service to hold 172.18.0.18");

        var seed = await File.ReadAllTextAsync(Example("service.yaml"));
        var dynamic = seed.Replace("namespace: default", $"namespace: {Ns}", StringComparison.Ordinal)
            .Replace("  loadBalancerIP: 172.18.0.18", "", StringComparison.Ordinal);
        dynamic.Should().NotContain("loadBalancerIP");
        await _kubectl.RunOkWithInputAsync(dynamic, "apply", "-f", "-");
        await WaitForIngressAsync("test-service", "172.18.0.11");
        (await _kubectl.RunOkAsync("get", "svc", "test-service", "-n", Ns)).Should().Contain("172.18.0.11");

        var contested = seed.Replace("namespace: default", $"namespace: {Ns}", StringComparison.Ordinal)
            .Replace("name: test-service", "name: second", StringComparison.Ordinal);
        await _kubectl.RunOkWithInputAsync(contested, "apply", "-f", "-");
        await WaitForEventAsync("second", EventReasons.AddressConflict);
        var events = await _kubectl.RunOkAsync("get", "events", "-n", Ns, "--field-selector", "involvedObject.name=second");
        events.Should().Contain("Warning").And.Contain(EventReasons.AddressConflict).And.Contain("172.18.0.18");
        (await _kubectl.RunOkAsync("get", "svc", "second", "-n", Ns)).Should().Contain("<pending>");
        (await _kubectl.RunOkAsync("get", "svc", "test-service", "-n", "default")).Should().Contain("172.18.0.18");
    }
}
