using k8s;
using k8s.Models;
using LbOperator.Tests.Sandbox.Kubectl;
using LbOperator.Tests.Testing;

namespace LbOperator.Tests.Cli;

/// <summary><c>kubectl kustomize</c> renders the committed config/prometheus Component, alone and in an overlay beside config/default.</summary>
[Category("Kubectl")]
public sealed class PrometheusComponentKubectlTests
{
    // kustomize needs no cluster: an empty kubeconfig keeps kubectl away from any real one.
    private static KubectlRunner OfflineKubectl => new("/dev/null", Path.Combine(Path.GetTempPath(), "lbop-kubectl-cache"));

    private static readonly Dictionary<string, Type> ServiceMonitorType = new(StringComparer.Ordinal)
    {
        ["monitoring.coreos.com/v1/ServiceMonitor"] = typeof(ServiceMonitorObject),
    };

    private static string Config(string folder) => Path.Combine(RepositoryRoot.Path, "config", folder);

    private static List<object> Load(string yaml) => KubernetesYaml.LoadAllFromString(yaml, ServiceMonitorType);

    [SetUp]
    public void RequireKubectl() => KubectlRunner.RequireKubectl();

    [Test]
    public async Task Renders_The_Component_Alone()
    {
        var objects = Load(await OfflineKubectl.RunOkAsync("kustomize", Config("prometheus")));
        objects.Select(o => ((IKubernetesObject)o).Kind).Should().BeEquivalentTo("Service", "ServiceMonitor");
    }

    [Test]
    public async Task An_Overlay_With_Default_And_The_Component_Adds_The_Service_And_Monitor_Beside_The_Deployment()
    {
        var overlay = Directory.CreateTempSubdirectory("lbop-overlay-").FullName;
        try
        {
            // kustomize takes other kustomizations by relative path only.
            await File.WriteAllTextAsync(Path.Combine(overlay, "kustomization.yaml"), $"""
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                - {Path.GetRelativePath(overlay, Config("default"))}
                components:
                - {Path.GetRelativePath(overlay, Config("prometheus"))}
                """);
            var objects = Load(await OfflineKubectl.RunOkAsync("kustomize", overlay));

            var deployment = objects.OfType<V1Deployment>().Single();
            var service = objects.OfType<V1Service>().Single();
            service.Metadata.NamespaceProperty.Should().Be(deployment.Metadata.NamespaceProperty).And.Be("lboperator-system");
            service.Metadata.Name.Should().Be($"{deployment.Metadata.Name}-metrics-service");
            deployment.Spec.Template.Metadata.Labels.Should().Contain(service.Spec.Selector);
            objects.OfType<ServiceMonitorObject>().Single().Metadata.NamespaceProperty.Should().Be("lboperator-system");
            objects.OfType<V1CustomResourceDefinition>().Select(c => c.Metadata.Name).Should().BeEquivalentTo("subnets.kubeovn.io", "ipallocations.lboperator.io");
        }
        finally
        {
            Directory.Delete(overlay, recursive: true);
        }
    }

    /// <summary>What these tests read of a ServiceMonitor (KubernetesClient has no model of it).</summary>
    private sealed class ServiceMonitorObject : IKubernetesObject<V1ObjectMeta>
    {
        public string ApiVersion { get; set; } = "";

        public string Kind { get; set; } = "";

        public V1ObjectMeta Metadata { get; set; } = new();
    }
}
