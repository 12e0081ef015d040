using k8s.Models;
using LbOperator.Gateway;
using LbOperator.LoadBalancing;

namespace LbOperator.Tests.Testing;

/// <summary>
/// Kube-OVN's lb-svc gateway Deployment of a Service as kube-ovn-controller makes it (the facts in docs/kube-ovn.md):
/// <c>lb-svc-&lt;service&gt;</c>, labels <c>app</c>, <c>namespace</c>, <c>service</c>, no owner reference, one privileged
/// container <c>lb-svc</c>, Recreate, grace period 0, the NAD and subnet in the pod annotations and, for a static address,
/// <c>&lt;provider&gt;.kubernetes.io/ip_address</c>.
/// </summary>
internal static class KubeOvnLbSvcDeployment
{
    public static V1Deployment For(string service, string @namespace, string nad, string provider, string subnet, string? staticAddress, IList<string> command)
    {
        var name = $"lb-svc-{service}";
        var labels = new Dictionary<string, string> { ["app"] = name, ["namespace"] = @namespace, ["service"] = service };
        var annotations = new Dictionary<string, string>
        {
            ["k8s.v1.cni.cncf.io/networks"] = nad,
            [Annotations.LogicalSwitch(provider)] = subnet,
        };
        if (staticAddress is not null)
        {
            annotations[Annotations.IpAddress(provider)] = staticAddress;
        }

        return new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = @namespace, Labels = labels },
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Strategy = new V1DeploymentStrategy { Type = "Recreate" },
                Selector = new V1LabelSelector { MatchLabels = labels },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels, Annotations = annotations },
                    Spec = new V1PodSpec
                    {
                        TerminationGracePeriodSeconds = 0,
                        Containers =
                        [
                            new V1Container
                            {
                                Name = KubeOvnLbSvcGateway.ContainerName,
                                Image = "docker.io/kubeovn/vpc-nat-gateway:v1.14.0",
                                Command = command,
                                SecurityContext = new V1SecurityContext { Privileged = true },
                            },
                        ],
                    },
                },
            },
        };
    }
}
