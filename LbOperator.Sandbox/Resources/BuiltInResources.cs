namespace LbOperator.Sandbox.Resources;

/// <summary>The built-in kinds the sandbox serves, described once for routing, discovery and printing.</summary>
public static class BuiltInResources
{
    /// <summary>The verbs every built-in kind supports.</summary>
    public static readonly IReadOnlyList<string> AllVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    private static readonly IReadOnlyList<string> All_ = ["all"];

    public static readonly ResourceDescriptor Namespaces = Core("Namespace", "namespaces", false, ["ns"], status: true, verbs: ["create", "delete", "get", "list", "patch", "update", "watch"]);
    public static readonly ResourceDescriptor Services = Core("Service", "services", true, ["svc"], status: true, categories: All_);
    public static readonly ResourceDescriptor Endpoints = Core("Endpoints", "endpoints", true, ["ep"]);
    public static readonly ResourceDescriptor Pods = Core("Pod", "pods", true, ["po"], status: true, categories: All_);
    public static readonly ResourceDescriptor ConfigMaps = Core("ConfigMap", "configmaps", true, ["cm"]);
    public static readonly ResourceDescriptor Secrets = Core("Secret", "secrets", true, []);
    public static readonly ResourceDescriptor Events = Core("Event", "events", true, ["ev"]);
    public static readonly ResourceDescriptor ServiceAccounts = Core("ServiceAccount", "serviceaccounts", true, ["sa"]);
    public static readonly ResourceDescriptor Nodes = Core("Node", "nodes", false, ["no"], status: true);
    public static readonly ResourceDescriptor EndpointSlices = Of("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", true, []);
    public static readonly ResourceDescriptor Deployments = Of("apps", "v1", "Deployment", "deployments", true, ["deploy"], status: true, categories: All_);
    public static readonly ResourceDescriptor ReplicaSets = Of("apps", "v1", "ReplicaSet", "replicasets", true, ["rs"], status: true, categories: All_);
    public static readonly ResourceDescriptor EventsV1 = Of("events.k8s.io", "v1", "Event", "events", true, ["ev"]);
    public static readonly ResourceDescriptor PodDisruptionBudgets = Of("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true, ["pdb"], status: true);
    public static readonly ResourceDescriptor Leases = Of("coordination.k8s.io", "v1", "Lease", "leases", true, []);
    public static readonly ResourceDescriptor ClusterRoles = Of("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false, []);
    public static readonly ResourceDescriptor ClusterRoleBindings = Of("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", false, []);
    public static readonly ResourceDescriptor Roles = Of("rbac.authorization.k8s.io", "v1", "Role", "roles", true, []);
    public static readonly ResourceDescriptor RoleBindings = Of("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", true, []);
    public static readonly ResourceDescriptor CustomResourceDefinitions = Of("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false, ["crd", "crds"], status: true);

    public static IReadOnlyList<ResourceDescriptor> All { get; } =
    [
        Namespaces, Services, Endpoints, Pods, ConfigMaps, Secrets, Events, ServiceAccounts, Nodes,
        EndpointSlices, Deployments, ReplicaSets, PodDisruptionBudgets, EventsV1, Leases,
        ClusterRoles, ClusterRoleBindings, Roles, RoleBindings, CustomResourceDefinitions,
    ];

    private static ResourceDescriptor Core(
        string kind, string plural, bool namespaced, IReadOnlyList<string> shortNames, bool status = false,
        IReadOnlyList<string>? categories = null, IReadOnlyList<string>? verbs = null) =>
        Of("", "v1", kind, plural, namespaced, shortNames, status, categories, verbs);

    private static ResourceDescriptor Of(
        string group, string version, string kind, string plural, bool namespaced, IReadOnlyList<string> shortNames,
        bool status = false, IReadOnlyList<string>? categories = null, IReadOnlyList<string>? verbs = null) =>
        new(group, version, kind, plural, kind.ToLowerInvariant(), namespaced, shortNames, verbs ?? AllVerbs, status, [], Categories: categories);
}
