using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using k8s.Models;
using LbOperator.Ipam;
using LbOperator.LoadBalancing;

namespace LbOperator.Gateway;

/// <summary>
/// Builds a Service's gateway Deployment <c>lb-svc-&lt;service&gt;</c>. Pure: the same inputs give the same object,
/// and any change of the script or of the pod annotations changes the pod template (and so rolls the pod).
/// </summary>
public static class GatewayBuilder
{
    public const string InitContainerName = "lb-svc-init";
    public const string ContainerName = "lb-svc";

    /// <summary>The container of a highly available gateway's pods that runs keepalived.</summary>
    public const string VrrpContainerName = "lb-svc-vrrp";
    public const string ApplyScriptVariable = "LBSVC_APPLY";
    public const string CheckScriptVariable = GatewayScript.CheckScriptVariable;

    /// <summary>The node label the pods of a highly available gateway are spread over: one pod per node.</summary>
    public const string SpreadTopologyKey = "kubernetes.io/hostname";
    public const string ManagedBy = OperatorLabels.ManagedBy;

    /// <summary>The label every gateway Deployment carries (value <see cref="ManagedBy"/>): the operator watches Deployments by it.</summary>
    public const string ManagedByLabel = OperatorLabels.ManagedByLabel;

    // Writable in-memory directories of the long-running container, whose root file system is read-only.
    private const string RunVolume = "run";
    private const string TmpVolume = "tmp";

    /// <summary>
    /// The gateway Deployment for <paramref name="service"/>, given what the planner and the IPAM produced:
    /// <paramref name="servicePlan"/> (<see cref="ServicePlanner.Plan"/>), <paramref name="addresses"/>
    /// (<c>AllocationResult.Allocated.Addresses</c>) and the operator's <paramref name="settings"/>. The Service
    /// supplies only its identity (name, namespace, uid) and the eth0 subnet annotation. A Service that asks for more
    /// than one replica (or, by default, <see cref="GatewaySettings.Replicas"/>) gets a highly available gateway, which
    /// needs its <paramref name="routerId"/>. Input no plan can produce throws <see cref="ArgumentException"/>.
    /// </summary>
    public static V1Deployment Build(
        V1Service service, ServicePlan servicePlan, IReadOnlyList<IPAddress> addresses, GatewaySettings settings, VrrpRouterId? routerId = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(servicePlan);
        ArgumentNullException.ThrowIfNull(settings);
        var image = settings.ImageReference;
        var subnet = servicePlan.Subnet;
        var attachment = servicePlan.Attachment;
        var plan = Plan(servicePlan.Forwarding, subnet, addresses);
        var redundancy = Redundancy(servicePlan, settings, routerId);
        var apply = GatewayScript.RenderApply(plan, redundancy);
        var check = GatewayScript.RenderCheck(plan, redundancy);
        var keeper = GatewayScript.RenderKeeper(settings.KeeperInterval);
        var vrrp = redundancy.IsHighlyAvailable ? GatewayScript.RenderVrrp(plan, redundancy) : null;

        var serviceName = service.Metadata?.Name ?? throw new ArgumentException("the Service has no name", nameof(service));
        var serviceNamespace = service.Metadata.NamespaceProperty ?? "default";
        var name = GatewayNames.Deployment(serviceName);
        var labels = new Dictionary<string, string>
        {
            ["app"] = name,
            ["namespace"] = serviceNamespace,
            ["service"] = serviceName,
        };
        var podAnnotations = PodAnnotations(plan, subnet, attachment);
        if (service.Metadata.Annotations?.TryGetValue(Annotations.OvnLogicalSwitch, out var eth0Subnet) == true && !string.IsNullOrEmpty(eth0Subnet))
        {
            podAnnotations[Annotations.OvnLogicalSwitch] = eth0Subnet;
        }
        if (redundancy.RouterId is { } id)
        {
            podAnnotations[Annotations.GatewayRouterId] = id.ToString();
        }
        var hash = Hash(apply, check, keeper, vrrp, podAnnotations);
        podAnnotations[Annotations.GatewayHash] = hash;
        // A highly available gateway's pods of one template are spread one per node; the template's own label keeps a
        // rollout's new pod free to start beside an old one (with two nodes, the surge pod has nowhere else to go).
        var podLabels = new Dictionary<string, string>(labels);
        if (redundancy.IsHighlyAvailable)
        {
            podLabels[Annotations.GatewayHash] = hash;
        }

        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = serviceNamespace,
                Labels = new Dictionary<string, string>(labels) { [ManagedByLabel] = ManagedBy },
                OwnerReferences =
                [
                    new V1OwnerReference
                    {
                        ApiVersion = "v1",
                        Kind = "Service",
                        Name = serviceName,
                        Uid = service.Metadata.Uid ?? "",
                        Controller = true,
                        BlockOwnerDeletion = true,
                    },
                ],
            },
            Spec = new V1DeploymentSpec
            {
                Replicas = redundancy.Replicas,
                Strategy = Strategy(redundancy),
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string>(labels) },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = podLabels, Annotations = podAnnotations },
                    Spec = PodSpec(new PodScripts(apply, check, keeper, vrrp), attachment, settings, image,
                        redundancy.IsHighlyAvailable ? podLabels : null),
                },
            },
        };
    }

    /// <summary>
    /// The replicas and VRRP settings of a Service's gateway: what it asks for, else the operator's default. Pure, and
    /// the one place that decides it.
    /// </summary>
    public static GatewayRedundancy Redundancy(ServicePlan servicePlan, GatewaySettings settings, VrrpRouterId? routerId)
    {
        ArgumentNullException.ThrowIfNull(servicePlan);
        ArgumentNullException.ThrowIfNull(settings);
        var replicas = servicePlan.GatewayReplicas ?? settings.Replicas;
        if (replicas <= 1)
        {
            return GatewayRedundancy.OnePod;
        }

        return routerId is { } id
            ? GatewayRedundancy.Vrrp(replicas, id, settings.VrrpAdvertisementInterval)
            : throw new ArgumentException($"a gateway of {replicas} replicas needs a VRRP router id", nameof(routerId));
    }

    /// <summary>Whether the Service's gateway runs more than one pod (and so needs a router id).</summary>
    public static bool IsHighlyAvailable(ServicePlan servicePlan, GatewaySettings settings)
    {
        ArgumentNullException.ThrowIfNull(servicePlan);
        ArgumentNullException.ThrowIfNull(settings);
        return (servicePlan.GatewayReplicas ?? settings.Replicas) > 1;
    }

    private static V1DeploymentStrategy Strategy(GatewayRedundancy redundancy) => redundancy.IsHighlyAvailable
        // A new pod joins as a standby and is ready before an old one goes; the holder leaving hands the address over.
        ? new V1DeploymentStrategy
        {
            Type = "RollingUpdate",
            RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = 1, MaxUnavailable = 0 },
        }
        // One address, one holder: the old pod must be gone before the new one takes the address.
        : new V1DeploymentStrategy { Type = "Recreate" };

    /// <summary>The typed plan the scripts are rendered from: one family per allocated address the Service has a ClusterIP for.</summary>
    public static GatewayPlan Plan(ServiceForwarding forwarding, SubnetDefinition subnet, IReadOnlyList<IPAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(forwarding);
        ArgumentNullException.ThrowIfNull(subnet);
        ArgumentNullException.ThrowIfNull(addresses);
        var families = new List<GatewayFamily>();
        foreach (var address in addresses)
        {
            var family = subnet.Family(address.AddressFamily)
                ?? throw new ArgumentException($"{address} is of no family of Subnet {subnet.Name}", nameof(addresses));
            // A single-stack Service on a dual-stack Subnet: the other family's address is held but not served.
            if (forwarding.ClusterIpOf(address.AddressFamily) is { } clusterIp)
            {
                families.Add(new GatewayFamily(address, family.Cidr, family.Gateway, clusterIp));
            }
        }
        if (families.Count == 0)
        {
            throw new ArgumentException(
                $"the Service has no ClusterIP of the family of its addresses ({string.Join(",", addresses)})", nameof(addresses));
        }
        return new GatewayPlan(families, forwarding.Ports, forwarding.SourceRanges);
    }

    private static Dictionary<string, string> PodAnnotations(GatewayPlan plan, SubnetDefinition subnet, NetworkAttachment attachment)
    {
        var provider = attachment.Provider;
        var networks = JsonSerializer.Serialize(new[]
        {
            new Dictionary<string, string>
            {
                ["name"] = provider.NadName,
                ["namespace"] = provider.NadNamespace,
                ["interface"] = GatewayScript.PhysicalInterface,
            },
        });
        return new Dictionary<string, string>
        {
            [Annotations.MultusNetworks] = networks,
            [Annotations.IpAddress(provider.Name)] = string.Join(",", plan.Families.Select(f => f.LoadBalancerAddress)),
            [Annotations.Cidr(provider.Name)] = string.Join(",", plan.Families.Select(f => f.SubnetCidr)),
            [Annotations.Gateway(provider.Name)] = string.Join(",", plan.Families.Select(f => f.SubnetGateway)),
            [Annotations.LogicalSwitch(provider.Name)] = subnet.Name,
            [Annotations.Allocated(provider.Name)] = "true",
        };
    }

    /// <summary>The scripts of a gateway pod; <see cref="Vrrp"/> only in a highly available one.</summary>
    private sealed record PodScripts(string Apply, string Check, string Keeper, string? Vrrp);

    private static V1PodSpec PodSpec(
        PodScripts scripts, NetworkAttachment attachment, GatewaySettings settings, string image, IDictionary<string, string>? spreadLabels)
    {
        var (apply, check, keeper) = (scripts.Apply, scripts.Check, scripts.Keeper);
        var requests = new Dictionary<string, ResourceQuantity>(settings.Requests);
        var limits = new Dictionary<string, ResourceQuantity>(settings.Limits);
        if (attachment.ResourceName is { } resource)
        {
            // A device-backed attachment (SR-IOV and the like) needs its device allocated to the pod.
            requests[resource] = new ResourceQuantity("1");
            limits[resource] = new ResourceQuantity("1");
        }
        return new V1PodSpec
        {
            // The gateway talks to no API server.
            AutomountServiceAccountToken = false,
            EnableServiceLinks = false,
            TerminationGracePeriodSeconds = 5,
            NodeSelector = settings.NodeSelector.Count == 0 ? null : new Dictionary<string, string>(settings.NodeSelector),
            Tolerations = settings.Tolerations.Count == 0 ? null : [.. settings.Tolerations],
            Affinity = spreadLabels is null ? null : new V1Affinity
            {
                PodAntiAffinity = new V1PodAntiAffinity
                {
                    RequiredDuringSchedulingIgnoredDuringExecution =
                    [
                        new V1PodAffinityTerm
                        {
                            LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string>(spreadLabels) },
                            TopologyKey = SpreadTopologyKey,
                        },
                    ],
                },
            },
            InitContainers =
            [
                new V1Container
                {
                    Name = InitContainerName,
                    Image = image,
                    ImagePullPolicy = settings.ImagePullPolicy,
                    Command = ["sh", "-c", apply],
                    Resources = new V1ResourceRequirements
                    {
                        Requests = new Dictionary<string, ResourceQuantity>(settings.Requests),
                        Limits = new Dictionary<string, ResourceQuantity>(settings.Limits),
                    },
                    // Privileged only here: turning forwarding on and setting net1's rp_filter/arp_notify/ndisc_notify
                    // writes /proc/sys/net, which container runtimes mount read-only in unprivileged containers.
                    SecurityContext = new V1SecurityContext { Privileged = true, RunAsUser = 0 },
                },
            ],
            Containers =
            [
                new V1Container
                {
                    Name = ContainerName,
                    Image = image,
                    ImagePullPolicy = settings.ImagePullPolicy,
                    Command = ["sh", "-c", keeper],
                    Env =
                    [
                        new V1EnvVar { Name = ApplyScriptVariable, Value = apply },
                        new V1EnvVar { Name = CheckScriptVariable, Value = check },
                    ],
                    Resources = new V1ResourceRequirements { Requests = requests, Limits = limits },
                    ReadinessProbe = new V1Probe
                    {
                        Exec = new V1ExecAction { Command = ["sh", "-c", check] },
                        PeriodSeconds = 5,
                        TimeoutSeconds = 5,
                        FailureThreshold = 1,
                    },
                    // Routes, rules and iptables need NET_ADMIN; arping needs NET_RAW. The sysctls are already set. The
                    // scripts write no file but iptables' lock in /run (and a shell's here-document may use /tmp), so
                    // the root file system is read-only and those two are empty in-memory directories.
                    SecurityContext = NetworkOnly(),
                    VolumeMounts = RunAndTmp(),
                },
                .. scripts.Vrrp is { } vrrp ? [VrrpContainer(vrrp, check, settings, image)] : Array.Empty<V1Container>(),
            ],
            Volumes =
            [
                new V1Volume { Name = RunVolume, EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory", SizeLimit = new ResourceQuantity("1Mi") } },
                new V1Volume { Name = TmpVolume, EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory", SizeLimit = new ResourceQuantity("1Mi") } },
            ],
        };
    }

    /// <summary>
    /// keepalived, in the foreground: it adds the addresses on the pod that holds them, announces them, and gives them
    /// up on SIGTERM. The keeper's rights (NET_ADMIN for the addresses, NET_RAW for VRRP's raw socket and the
    /// gratuitous ARPs) and SETUID/SETGID: keepalived sets its check script's user and groups before it runs it, and
    /// when it cannot, the check exits without running and counts as passed, so a pod without rules could take the address.
    /// </summary>
    private static V1Container VrrpContainer(string vrrp, string check, GatewaySettings settings, string image) => new()
    {
        Name = VrrpContainerName,
        Image = image,
        ImagePullPolicy = settings.ImagePullPolicy,
        Command = ["sh", "-c", vrrp],
        Env = [new V1EnvVar { Name = CheckScriptVariable, Value = check }],
        Resources = new V1ResourceRequirements
        {
            Requests = new Dictionary<string, ResourceQuantity>(settings.Requests),
            Limits = new Dictionary<string, ResourceQuantity>(settings.Limits),
        },
        // Ready once keepalived stands by or holds the address: a rollout replaces the next old pod only when the new
        // one could take the address over, and a pod whose check fails (keepalived's FAULT) is counted as not ready.
        ReadinessProbe = new V1Probe
        {
            Exec = new V1ExecAction { Command = ["sh", "-c", GatewayScript.RenderVrrpReadiness()] },
            PeriodSeconds = 1,
            TimeoutSeconds = 1,
            FailureThreshold = 1,
        },
        SecurityContext = NetworkOnly("SETUID", "SETGID"),
        VolumeMounts = RunAndTmp(),
    };

    /// <summary>The long-running containers' rights: root for the network tools, NET_ADMIN and NET_RAW, and what <paramref name="more"/> names.</summary>
    private static V1SecurityContext NetworkOnly(params string[] more) => new()
    {
        RunAsUser = 0,
        AllowPrivilegeEscalation = false,
        ReadOnlyRootFilesystem = true,
        SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
        Capabilities = new V1Capabilities { Add = ["NET_ADMIN", "NET_RAW", .. more], Drop = ["ALL"] },
    };

    /// <summary>The long-running containers' only writable places: the pod's in-memory /run and /tmp.</summary>
    private static List<V1VolumeMount> RunAndTmp() =>
    [
        new V1VolumeMount { Name = RunVolume, MountPath = "/run" },
        new V1VolumeMount { Name = TmpVolume, MountPath = "/tmp" },
    ];

    private static string Hash(string apply, string check, string keeper, string? vrrp, IReadOnlyDictionary<string, string> annotations)
    {
        var text = new StringBuilder().Append(apply).Append('\0').Append(check).Append('\0').Append(keeper);
        if (vrrp is not null)
        {
            text.Append('\0').Append(vrrp);
        }
        foreach (var (key, value) in annotations.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            text.Append('\0').Append(key).Append('=').Append(value);
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }
}
