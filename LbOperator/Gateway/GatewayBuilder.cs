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
    public const string ApplyScriptVariable = "LBSVC_APPLY";
    public const string CheckScriptVariable = "LBSVC_CHECK";
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
    /// supplies only its identity (name, namespace, uid) and the eth0 subnet annotation. Input no plan can produce
    /// throws <see cref="ArgumentException"/>.
    /// </summary>
    public static V1Deployment Build(V1Service service, ServicePlan servicePlan, IReadOnlyList<IPAddress> addresses, GatewaySettings settings)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(servicePlan);
        ArgumentNullException.ThrowIfNull(settings);
        var image = settings.ImageReference;
        var subnet = servicePlan.Subnet;
        var attachment = servicePlan.Attachment;
        var plan = Plan(servicePlan.Forwarding, subnet, addresses);
        var apply = GatewayScript.RenderApply(plan);
        var check = GatewayScript.RenderCheck(plan);
        var keeper = GatewayScript.RenderKeeper(settings.KeeperInterval);

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
        podAnnotations[Annotations.GatewayHash] = Hash(apply, check, keeper, podAnnotations);

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
                Replicas = 1,
                // One address, one holder: the old pod must be gone before the new one takes the address.
                Strategy = new V1DeploymentStrategy { Type = "Recreate" },
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string>(labels) },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string>(labels), Annotations = podAnnotations },
                    Spec = PodSpec(apply, check, keeper, attachment, settings, image),
                },
            },
        };
    }

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

    private static V1PodSpec PodSpec(string apply, string check, string keeper, NetworkAttachment attachment, GatewaySettings settings, string image)
    {
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
                    SecurityContext = new V1SecurityContext
                    {
                        RunAsUser = 0,
                        AllowPrivilegeEscalation = false,
                        ReadOnlyRootFilesystem = true,
                        SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                        Capabilities = new V1Capabilities { Add = ["NET_ADMIN", "NET_RAW"], Drop = ["ALL"] },
                    },
                    VolumeMounts =
                    [
                        new V1VolumeMount { Name = RunVolume, MountPath = "/run" },
                        new V1VolumeMount { Name = TmpVolume, MountPath = "/tmp" },
                    ],
                },
            ],
            Volumes =
            [
                new V1Volume { Name = RunVolume, EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory", SizeLimit = new ResourceQuantity("1Mi") } },
                new V1Volume { Name = TmpVolume, EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory", SizeLimit = new ResourceQuantity("1Mi") } },
            ],
        };
    }

    private static string Hash(string apply, string check, string keeper, IReadOnlyDictionary<string, string> annotations)
    {
        var text = new StringBuilder().Append(apply).Append('\0').Append(check).Append('\0').Append(keeper);
        foreach (var (key, value) in annotations.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            text.Append('\0').Append(key).Append('=').Append(value);
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }
}
