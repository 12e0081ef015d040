using LbOperator.Cli;
using LbOperator.Gateway;

namespace LbOperator.Tests.Gateway.DataPath;

/// <summary>
/// The manifests the data-path tests render, matching <see cref="GatewayLab"/>'s addresses: a dual-stack Subnet on the
/// lab's physical network and a Service whose ports differ from their targetPorts (one of them named).
/// </summary>
internal static class DataPathServices
{
    private const string Subnet = """
        apiVersion: kubeovn.io/v1
        kind: Subnet
        metadata:
          name: lab-subnet
        spec:
          provider: lb-svc-attachment.kube-system
          cidrBlock: 172.18.0.0/16,fd00:18::/64
          gateway: 172.18.0.1,fd00:18::1
        """;

    /// <summary>The gateway script <c>render --script</c> prints for the lab's Service.</summary>
    public static string RenderedScript(IEnumerable<string>? sourceRanges = null, int? extraTcpPort = null) =>
        Render(sourceRanges, extraTcpPort, scriptOnly: true);

    /// <summary>The readiness check of the same Service, read from the Deployment <c>render</c> prints.</summary>
    public static string RenderedCheck(IEnumerable<string>? sourceRanges = null, int? extraTcpPort = null) =>
        RenderedDeployment(sourceRanges, extraTcpPort).Spec.Template.Spec.Containers.Single().ReadinessProbe.Exec.Command[2];

    /// <summary>The gateway Deployment <c>render</c> prints for the lab's Service.</summary>
    public static k8s.Models.V1Deployment RenderedDeployment(IEnumerable<string>? sourceRanges = null, int? extraTcpPort = null) =>
        k8s.KubernetesYaml.Deserialize<k8s.Models.V1Deployment>(Render(sourceRanges, extraTcpPort, scriptOnly: false));

    /// <summary>The gateway Deployment <c>render</c> prints for the lab's Service with a highly available gateway of two pods.</summary>
    public static k8s.Models.V1Deployment RenderedHighlyAvailableDeployment() =>
        k8s.KubernetesYaml.Deserialize<k8s.Models.V1Deployment>(Render(null,
            "    - {name: http, protocol: TCP, port: 80, targetPort: 8080}\n    - {name: dns, protocol: UDP, port: 53, targetPort: dns}\n",
            scriptOnly: false, annotations: "    lboperator.io/gateway-replicas: \"2\"\n"));

    /// <summary>
    /// The largest case the issue names, dual-stack: 100 ports (80/TCP, 53/UDP and 98 more, TCP and UDP in turn, 7
    /// apart from 1000 on: the last are 1672/TCP and 1679/UDP) and 12 source ranges per family, of which the lab's
    /// allowed client ranges come last. Returns the init container's script, the readiness check, and the longest
    /// argument or environment entry of the Deployment in bytes.
    /// </summary>
    public static (string Script, string Check, int LongestArgument) Largest()
    {
        var ports = "    - {name: http, protocol: TCP, port: 80}\n    - {name: dns, protocol: UDP, port: 53}\n" + string.Concat(
            Enumerable.Range(0, 98).Select(i => $"    - {{name: p{i}, protocol: {(i % 2 == 0 ? "TCP" : "UDP")}, port: {1000 + (7 * i)}}}\n"));
        var ranges = Enumerable.Range(1, 11).SelectMany(i => new[] { $"10.{i}.0.0/16", $"fd00:{70 + i}::/64" })
            .Concat(["192.168.50.0/24", "fd00:50::/64"]);
        var deployment = k8s.KubernetesYaml.Deserialize<k8s.Models.V1Deployment>(Render(ranges, ports, scriptOnly: false));
        var pod = deployment.Spec.Template.Spec;
        return (pod.InitContainers.Single().Command[2], pod.Containers.Single().ReadinessProbe.Exec.Command[2], GatewayLimits.LongestArgumentBytes(deployment));
    }

    private static string Render(IEnumerable<string>? sourceRanges, int? extraTcpPort, bool scriptOnly)
    {
        var ports = "    - {name: http, protocol: TCP, port: 80, targetPort: 8080}\n" +
                    "    - {name: dns, protocol: UDP, port: 53, targetPort: dns}\n";
        if (extraTcpPort is { } extra)
        {
            ports += $"    - {{name: extra, protocol: TCP, port: {extra}, targetPort: {extra + 8000}}}\n";
        }
        return Render(sourceRanges, ports, scriptOnly);
    }

    private static string Render(IEnumerable<string>? sourceRanges, string ports, bool scriptOnly, string annotations = "")
    {
        var ranges = sourceRanges is null ? "" : $"  loadBalancerSourceRanges: [{string.Join(", ", sourceRanges.Select(r => $"\"{r}\""))}]\n";
        var service = $"""
            apiVersion: v1
            kind: Service
            metadata:
              name: lab-service
              namespace: default
              annotations:
                ovn.kubernetes.io/attachmentprovider: lb-svc-attachment.kube-system
                lb-svc-attachment.kube-system.kubernetes.io/ip_address: "172.18.0.18,fd00:18::12"
            {annotations}spec:
              type: LoadBalancer
              clusterIP: {GatewayLab.ClusterIPv4}
              clusterIPs: [{GatewayLab.ClusterIPv4}, "{GatewayLab.ClusterIPv6}"]

            """ + ranges + "  ports:\n" + ports;
        var manifests = ManifestReader.Default.Read($"{Subnet}\n---\n{service}", "lab.yaml");
        return RenderCommand.Render(manifests, new GatewaySettings(), scriptOnly).Single();
    }
}
