using k8s.Models;

namespace LbOperator.Framework.Transpilation;

/// <summary>
/// The operator's Deployment: one replica (leader election makes more safe but idle), health probes, the pod's
/// namespace and name from the downward API, a non-root read-only container without capabilities, and bounded
/// resources.
/// </summary>
internal static class OperatorDeployment
{
    public static V1Deployment Build(
        string name,
        string @namespace,
        string serviceAccount,
        string container,
        string image,
        IDictionary<string, string> labels,
        OperatorManifestOptions options)
    {
        var podLabels = PodLabels(labels);
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = V1Deployment.KubeKind,
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = @namespace, Labels = podLabels },
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = podLabels },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta
                    {
                        Labels = podLabels,
                        Annotations = new Dictionary<string, string> { ["kubectl.kubernetes.io/default-container"] = container },
                    },
                    Spec = new V1PodSpec
                    {
                        ServiceAccountName = serviceAccount,
                        TerminationGracePeriodSeconds = 10,
                        SecurityContext = new V1PodSecurityContext
                        {
                            RunAsNonRoot = true,
                            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                        },
                        Containers = [Container(container, image, options)],
                        // .NET writes its diagnostics sockets and temporary files under /tmp; the root file
                        // system stays read-only.
                        Volumes = [new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity("64Mi") } }],
                    },
                },
            },
        };
    }

    /// <summary>The operator pod's labels (also the Deployment's selector): the common labels plus kubebuilder's <c>control-plane</c>.</summary>
    public static Dictionary<string, string> PodLabels(IDictionary<string, string> labels) =>
        new(labels) { ["control-plane"] = "controller-manager" };

    private static V1Container Container(string name, string image, OperatorManifestOptions options) => new()
    {
        Name = name,
        Image = image,
        Args = [.. options.Args],
        Ports = [new V1ContainerPort { Name = "health", ContainerPort = options.HealthPort, Protocol = "TCP" }],
        Env =
        [
            FieldRef("POD_NAMESPACE", "metadata.namespace"),
            FieldRef("POD_NAME", "metadata.name"),
        ],
        LivenessProbe = Probe("/healthz", options.HealthPort, initialDelaySeconds: 15, periodSeconds: 20),
        ReadinessProbe = Probe("/readyz", options.HealthPort, initialDelaySeconds: 5, periodSeconds: 10),
        Resources = new V1ResourceRequirements
        {
            Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("50m"), ["memory"] = new("96Mi") },
            Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("500m"), ["memory"] = new("256Mi") },
        },
        SecurityContext = new V1SecurityContext
        {
            // The .NET images' unprivileged "app" user; numeric so that the kubelet can verify runAsNonRoot.
            RunAsUser = 1654,
            RunAsGroup = 1654,
            RunAsNonRoot = true,
            ReadOnlyRootFilesystem = true,
            AllowPrivilegeEscalation = false,
            Capabilities = new V1Capabilities { Drop = ["ALL"] },
        },
        VolumeMounts = [new V1VolumeMount { Name = "tmp", MountPath = "/tmp" }],
    };

    private static V1EnvVar FieldRef(string name, string fieldPath) => new()
    {
        Name = name,
        ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = fieldPath } },
    };

    private static V1Probe Probe(string path, int port, int initialDelaySeconds, int periodSeconds) => new()
    {
        HttpGet = new V1HTTPGetAction { Path = path, Port = port },
        InitialDelaySeconds = initialDelaySeconds,
        PeriodSeconds = periodSeconds,
    };
}
