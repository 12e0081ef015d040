using k8s.Models;

namespace LbOperator.Framework.Transpilation;

/// <summary>
/// <c>prometheus/</c>: an optional kustomize Component with a Service in front of the operator's metrics port and
/// a Prometheus Operator ServiceMonitor scraping it. It is not part of <c>default/</c> (a cluster without the
/// Prometheus Operator has no ServiceMonitor kind); an overlay adds it with <c>components: [.../prometheus]</c>
/// next to <c>default</c> as a resource. Its objects carry their final names and namespace, since the overlay
/// including it does not apply <c>default/</c>'s name prefix.
/// </summary>
internal static class PrometheusComponent
{
    private const string PortName = "metrics";

    /// <param name="deployment">The operator Deployment's final name (after the name prefix).</param>
    /// <param name="podLabels">The operator pod's labels, which the Service selects.</param>
    public static IReadOnlyList<(string Path, object Value)> Build(
        string deployment, IDictionary<string, string> podLabels, OperatorManifestOptions options)
    {
        var serviceLabels = new SortedDictionary<string, string>(podLabels, StringComparer.Ordinal) { ["app.kubernetes.io/component"] = "metrics" };
        return
        [
            ("prometheus/metrics_service.yaml", new V1Service
            {
                ApiVersion = "v1",
                Kind = V1Service.KubeKind,
                Metadata = new V1ObjectMeta { Name = $"{deployment}-metrics-service", NamespaceProperty = options.Namespace, Labels = serviceLabels },
                Spec = new V1ServiceSpec
                {
                    Selector = new Dictionary<string, string>(podLabels),
                    Ports = [new V1ServicePort { Name = PortName, Port = options.HealthPort, TargetPort = options.HealthPort, Protocol = "TCP" }],
                },
            }),
            ("prometheus/monitor.yaml", new ServiceMonitor
            {
                Metadata = new V1ObjectMeta { Name = $"{deployment}-metrics-monitor", NamespaceProperty = options.Namespace, Labels = serviceLabels },
                Spec = new ServiceMonitorSpec
                {
                    Endpoints = [new ServiceMonitorEndpoint { Port = PortName, Path = "/metrics", Scheme = "http" }],
                    Selector = new V1LabelSelector { MatchLabels = serviceLabels },
                },
            }),
            ("prometheus/kustomization.yaml", new KustomizeComponent { Resources = ["metrics_service.yaml", "monitor.yaml"] }),
        ];
    }
}

/// <summary>The parts of a Prometheus Operator <c>monitoring.coreos.com/v1</c> ServiceMonitor the component uses.</summary>
internal sealed class ServiceMonitor
{
    public string ApiVersion { get; } = "monitoring.coreos.com/v1";

    public string Kind { get; } = "ServiceMonitor";

    public required V1ObjectMeta Metadata { get; init; }

    public required ServiceMonitorSpec Spec { get; init; }
}

internal sealed class ServiceMonitorSpec
{
    public required IList<ServiceMonitorEndpoint> Endpoints { get; init; }

    public required V1LabelSelector Selector { get; init; }
}

/// <summary>One scraped port of the selected Services: the Service port's name, the path and the scheme.</summary>
internal sealed class ServiceMonitorEndpoint
{
    public required string Port { get; init; }

    public required string Path { get; init; }

    public required string Scheme { get; init; }
}
