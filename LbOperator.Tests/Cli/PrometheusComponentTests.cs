using k8s;
using k8s.Models;
using LbOperator.Cli;
using LbOperator.Gateway;

namespace LbOperator.Tests.Cli;

/// <summary>The generated config/prometheus Component: its Service reaches the operator's metrics port, its ServiceMonitor selects that Service.</summary>
[Category("Unit")]
public sealed class PrometheusComponentTests
{
    private static readonly Dictionary<string, string> Files =
        GenerateCommand.Generate(GenerateCommand.DefaultImage, GatewaySettings.DefaultImage).ToDictionary(f => f.RelativePath, f => f.Content);

    [Test]
    public void Is_A_Component_Outside_The_Default_Deployment()
    {
        Files["prometheus/kustomization.yaml"].Should().Contain("kind: Component").And.Contain("kustomize.config.k8s.io/v1alpha1");
        Files["default/kustomization.yaml"].Should().NotContain("prometheus", "a cluster without the Prometheus Operator has no ServiceMonitor kind");
    }

    [Test]
    public void The_Metrics_Service_Selects_The_Operator_Pods_And_Targets_Their_Metrics_Port()
    {
        var service = KubernetesYaml.Deserialize<V1Service>(Files["prometheus/metrics_service.yaml"]);
        var deployment = KubernetesYaml.Deserialize<V1Deployment>(Files["manager/manager.yaml"]);
        var container = deployment.Spec.Template.Spec.Containers.Single();

        service.Metadata.Name.Should().Be("lboperator-controller-manager-metrics-service");
        service.Metadata.NamespaceProperty.Should().Be("lboperator-system", "the Component's objects carry their final names and namespace");
        service.Spec.Selector.Should().Equal(deployment.Spec.Template.Metadata.Labels);
        var port = service.Spec.Ports.Should().ContainSingle().Subject;
        port.Name.Should().Be("metrics");
        int.Parse(port.TargetPort.Value, System.Globalization.CultureInfo.InvariantCulture)
            .Should().BeOneOf(container.Ports.Select(p => p.ContainerPort)).And.Be(8081);
        container.Args.Should().ContainInOrder("--health-port", "8081");
    }

    [Test]
    public void The_Service_Monitor_Scrapes_The_Metrics_Port_Of_That_Service()
    {
        var service = KubernetesYaml.Deserialize<V1Service>(Files["prometheus/metrics_service.yaml"]);
        var monitor = KubernetesYaml.Deserialize<Dictionary<string, object>>(Files["prometheus/monitor.yaml"]);
        monitor["apiVersion"].Should().Be("monitoring.coreos.com/v1");
        monitor["kind"].Should().Be("ServiceMonitor");
        var spec = (Dictionary<object, object>)monitor["spec"];
        var endpoint = (Dictionary<object, object>)((List<object>)spec["endpoints"]).Single();
        endpoint["port"].Should().Be(service.Spec.Ports.Single().Name);
        endpoint["path"].Should().Be("/metrics");
        var matchLabels = ((Dictionary<object, object>)((Dictionary<object, object>)spec["selector"])["matchLabels"])
            .ToDictionary(p => (string)p.Key, p => (string)p.Value);
        matchLabels.Should().NotBeEmpty();
        service.Metadata.Labels.Should().Contain(matchLabels);
        matchLabels.Should().ContainKey("app.kubernetes.io/component", "only the metrics Service is selected");
    }
}
