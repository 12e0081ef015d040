using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using LbOperator.Entities;
using LbOperator.Framework.Transpilation;
using LbOperator.LoadBalancing;

namespace LbOperator.Benchmarks.Scale;

/// <summary>
/// The objects of a run, shaped as in examples/: the NetworkAttachmentDefinition <c>lb-svc-attachment</c> in
/// kube-system, one Subnet with room for every Service, and Services <c>svc-00000</c>… of type LoadBalancer spread
/// over namespaces <c>bench-00</c>…, each naming the NAD as its attachment provider.
/// </summary>
public sealed class BenchCluster(int services, int namespaces)
{
    public const string NadName = "lb-svc-attachment";
    public const string NadNamespace = "kube-system";
    public const string SubnetName = "bench-subnet";

    /// <summary>The label every benchmark Service carries, for watching them alone.</summary>
    public const string ServiceLabel = "lboperator.io/bench";

    public const string ServiceSelector = ServiceLabel + "=scale";

    /// <summary>A /16: room for 65,533 Services.</summary>
    private const string CidrBlock = "10.20.0.0/16";
    private const string Gateway = "10.20.0.1";

    public int Services { get; } = services;

    public IReadOnlyList<string> Namespaces { get; } = Enumerable.Range(0, namespaces).Select(i => $"bench-{i:D2}").ToList();

    public V1NetworkAttachmentDefinition Nad { get; } = new()
    {
        Metadata = new V1ObjectMeta { Name = NadName, NamespaceProperty = NadNamespace },
        Spec = new V1NetworkAttachmentDefinitionSpec { Config = """{"cniVersion": "0.3.0", "type": "macvlan", "master": "eth0", "mode": "bridge"}""" },
    };

    public V1Subnet Subnet { get; } = new()
    {
        Metadata = new V1ObjectMeta { Name = SubnetName },
        Spec = new V1SubnetSpec { Protocol = "IPv4", Provider = $"{NadName}.{NadNamespace}", CidrBlock = CidrBlock, Gateway = Gateway },
    };

    public static string ServiceName(int index) => $"svc-{index:D5}";

    public string NamespaceOf(int index) => Namespaces[index % Namespaces.Count];

    public V1Service Service(int index) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta
        {
            Name = ServiceName(index),
            NamespaceProperty = NamespaceOf(index),
            Labels = new Dictionary<string, string> { [ServiceLabel] = "scale", ["app"] = ServiceName(index) },
            Annotations = new Dictionary<string, string> { [Annotations.AttachmentProvider] = $"{NadName}.{NadNamespace}" },
        },
        Spec = new V1ServiceSpec
        {
            Type = "LoadBalancer",
            // The gateway answers on its own address: node ports are not needed, and the default range (2,768 ports)
            // would stop the cluster at 2,768 LoadBalancer Services.
            AllocateLoadBalancerNodePorts = false,
            Selector = new Dictionary<string, string> { ["app"] = ServiceName(index) },
            Ports = [new V1ServicePort { Name = "http", Protocol = "TCP", Port = 80, TargetPort = 8080 }],
        },
    };

    /// <summary>The address the floor client gives Service <paramref name="index"/>: the Subnet's, past its network address and gateway.</summary>
    public static IPAddress FloorAddress(int index)
    {
        var value = (10u << 24) | (20u << 16);
        value += (uint)index + 2;
        return new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
    }

    /// <summary>Installs the CRDs (config/crd, and Multus' NAD CRD when the sandbox has none), the namespaces, the NAD and the Subnet.</summary>
    public async Task SetUpAsync(Kubernetes client, BenchPaths paths, CancellationToken cancellationToken)
    {
        var crds = new List<V1CustomResourceDefinition>();
        foreach (var file in Directory.EnumerateFiles(paths.CrdDirectory, "*.yaml").Where(f => Path.GetFileName(f) != "kustomization.yaml").Order(StringComparer.Ordinal))
        {
            crds.Add(await KubernetesYaml.LoadFromFileAsync<V1CustomResourceDefinition>(file));
        }

        crds.AddRange(CrdTranspiler.Transpile([typeof(V1NetworkAttachmentDefinition)]));
        foreach (var crd in crds)
        {
            await IgnoreConflict(() => client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd, cancellationToken: cancellationToken));
        }

        foreach (var crd in crds)
        {
            await WaitEstablishedAsync(client, crd.Metadata.Name, cancellationToken);
        }

        foreach (var name in Namespaces)
        {
            await IgnoreConflict(() => client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } }, cancellationToken: cancellationToken));
        }

        await client.CustomObjects.CreateNamespacedCustomObjectAsync(Nad, "k8s.cni.cncf.io", "v1", NadNamespace, "network-attachment-definitions", cancellationToken: cancellationToken);
        await client.CustomObjects.CreateClusterCustomObjectAsync(Subnet, "kubeovn.io", "v1", "subnets", cancellationToken: cancellationToken);
    }

    private static async Task WaitEstablishedAsync(Kubernetes client, string name, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var crd = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(name, cancellationToken: cancellationToken);
            if (crd.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the CRD {name} was not established within 30 s");
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    private static async Task IgnoreConflict(Func<Task> create)
    {
        try
        {
            await create();
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // There already (the sandbox installs Multus' CRD itself).
        }
    }
}
