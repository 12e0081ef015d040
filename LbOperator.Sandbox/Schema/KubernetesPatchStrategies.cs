using k8s.Models;

namespace LbOperator.Sandbox.Schema;

/// <summary>
/// The <c>patchStrategy</c>/<c>patchMergeKey</c> tags of the Kubernetes API types for the fields that have one.
/// The KubernetesClient models do not carry these tags, so they are listed here per declaring type and JSON field.
/// Every field not listed is replaced as a whole by a strategic merge patch.
/// </summary>
public static class KubernetesPatchStrategies
{
    private static readonly Dictionary<(Type Declaring, string Field), PatchStrategy> Strategies = new()
    {
        [(typeof(V1ObjectMeta), "finalizers")] = PatchStrategy.MergeSet,
        [(typeof(V1ObjectMeta), "ownerReferences")] = PatchStrategy.MergeBy("uid"),

        [(typeof(V1PodSpec), "containers")] = PatchStrategy.MergeBy("name"),
        [(typeof(V1PodSpec), "initContainers")] = PatchStrategy.MergeBy("name"),
        [(typeof(V1PodSpec), "ephemeralContainers")] = PatchStrategy.MergeBy("name"),
        [(typeof(V1PodSpec), "volumes")] = new PatchStrategy(true, "name", true),
        [(typeof(V1PodSpec), "imagePullSecrets")] = PatchStrategy.MergeBy("name"),
        [(typeof(V1PodSpec), "hostAliases")] = PatchStrategy.MergeBy("ip"),
        [(typeof(V1PodSpec), "topologySpreadConstraints")] = PatchStrategy.MergeBy("topologyKey"),
        [(typeof(V1PodSpec), "schedulingGates")] = PatchStrategy.MergeBy("name"),
        [(typeof(V1PodSpec), "resourceClaims")] = new PatchStrategy(true, "name", true),

        [(typeof(V1Container), "ports")] = PatchStrategy.MergeBy("containerPort"),
        [(typeof(V1Container), "env")] = PatchStrategy.MergeBy("name"),
        [(typeof(V1Container), "volumeMounts")] = PatchStrategy.MergeBy("mountPath"),
        [(typeof(V1Container), "volumeDevices")] = PatchStrategy.MergeBy("devicePath"),
        [(typeof(V1EphemeralContainer), "ports")] = PatchStrategy.MergeBy("containerPort"),
        [(typeof(V1EphemeralContainer), "env")] = PatchStrategy.MergeBy("name"),
        [(typeof(V1EphemeralContainer), "volumeMounts")] = PatchStrategy.MergeBy("mountPath"),
        [(typeof(V1EphemeralContainer), "volumeDevices")] = PatchStrategy.MergeBy("devicePath"),

        [(typeof(V1PodStatus), "conditions")] = PatchStrategy.MergeBy("type"),
        [(typeof(V1PodStatus), "podIPs")] = PatchStrategy.MergeBy("ip"),
        [(typeof(V1PodStatus), "hostIPs")] = PatchStrategy.MergeBy("ip"),

        [(typeof(V1ServiceSpec), "ports")] = PatchStrategy.MergeBy("port"),
        [(typeof(V1ServiceStatus), "conditions")] = PatchStrategy.MergeBy("type"),
        [(typeof(V1ServiceAccount), "secrets")] = PatchStrategy.MergeBy("name"),

        [(typeof(V1NodeSpec), "podCIDRs")] = PatchStrategy.MergeSet,
        [(typeof(V1NodeStatus), "conditions")] = PatchStrategy.MergeBy("type"),
        [(typeof(V1NodeStatus), "addresses")] = PatchStrategy.MergeBy("type"),
        [(typeof(V1NamespaceStatus), "conditions")] = PatchStrategy.MergeBy("type"),
        [(typeof(V1PersistentVolumeClaimStatus), "conditions")] = PatchStrategy.MergeBy("type"),

        [(typeof(V1DeploymentSpec), "strategy")] = PatchStrategy.Retain,
        [(typeof(V1DeploymentStatus), "conditions")] = PatchStrategy.MergeBy("type"),
        [(typeof(V1ReplicaSetStatus), "conditions")] = PatchStrategy.MergeBy("type"),
        [(typeof(V1StatefulSetStatus), "conditions")] = PatchStrategy.MergeBy("type"),
        [(typeof(V1DaemonSetStatus), "conditions")] = PatchStrategy.MergeBy("type"),
        [(typeof(V1JobStatus), "conditions")] = PatchStrategy.MergeBy("type"),
        [(typeof(V1PodDisruptionBudgetStatus), "conditions")] = PatchStrategy.MergeBy("type"),
    };

    /// <summary>The strategy of field <paramref name="field"/> of <paramref name="declaringType"/>.</summary>
    public static PatchStrategy For(Type declaringType, string field) =>
        Strategies.GetValueOrDefault((declaringType, field), PatchStrategy.Replace);
}
