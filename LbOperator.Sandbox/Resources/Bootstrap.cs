using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LbOperator.Sandbox.Api;

namespace LbOperator.Sandbox.Resources;

/// <summary>What a fresh cluster already holds: system namespaces, the node, the <c>kubernetes</c> Service, Multus' CRD.</summary>
public static class Bootstrap
{
    public static void Run(ResourceService api, SandboxOptions options)
    {
        foreach (var ns in ResourceService.SystemNamespaces.Order(StringComparer.Ordinal))
        {
            api.Create(BuiltInResources.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } });
        }

        var node = Node(api, options);
        var created = api.Create(BuiltInResources.Nodes, null, node);
        created["status"] = node["status"]!.DeepClone();
        api.Update(BuiltInResources.Nodes, null, options.NodeName, created, "status");
        var firstServiceIp = AddressMath.At(options.ServiceCidrs[0], 1).ToString();
        api.Create(BuiltInResources.Services, "default", new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = "kubernetes",
                ["labels"] = new JsonObject { ["component"] = "apiserver", ["provider"] = "kubernetes" },
            },
            ["spec"] = new JsonObject
            {
                ["clusterIP"] = firstServiceIp,
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = 443, ["protocol"] = "TCP", ["targetPort"] = 6443 }),
            },
        });
        api.Create(BuiltInResources.CustomResourceDefinitions, null, NetworkAttachmentDefinitionCrd.Create());
    }

    /// <summary>
    /// A stable identifier derived from the node name, standing in for what a kubelet reads from the host
    /// (<c>/etc/machine-id</c>, the DMI product UUID); the boot ID is new with every start, as after a reboot.
    /// </summary>
    private static string Hex(string nodeName, string purpose) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{purpose}/{nodeName}")));

    private static JsonObject Node(ResourceService api, SandboxOptions options)
    {
        var now = Meta.Timestamp(api.Clock.GetUtcNow());
        JsonObject Condition(string type, string status, string reason, string message) => new()
        {
            ["type"] = type,
            ["status"] = status,
            ["lastHeartbeatTime"] = now,
            ["lastTransitionTime"] = now,
            ["reason"] = reason,
            ["message"] = message,
        };
        return new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = options.NodeName,
                ["labels"] = new JsonObject
                {
                    ["kubernetes.io/hostname"] = options.NodeName,
                    ["kubernetes.io/os"] = "linux",
                    ["kubernetes.io/arch"] = "amd64",
                    ["node-role.kubernetes.io/control-plane"] = "",
                },
            },
            ["spec"] = new JsonObject { ["podCIDR"] = options.PodCidr.ToString(), ["podCIDRs"] = new JsonArray(options.PodCidr.ToString()) },
            ["status"] = new JsonObject
            {
                ["addresses"] = new JsonArray(
                    new JsonObject { ["type"] = "InternalIP", ["address"] = options.NodeAddress.ToString() },
                    new JsonObject { ["type"] = "Hostname", ["address"] = options.NodeName }),
                ["conditions"] = new JsonArray(
                    Condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                    Condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                    Condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                    Condition("Ready", "True", "KubeletReady", "kubelet is posting ready status")),
                ["nodeInfo"] = new JsonObject
                {
                    ["machineID"] = Hex(options.NodeName, "machine-id")[..32],
                    ["systemUUID"] = new Guid(Convert.FromHexString(Hex(options.NodeName, "product-uuid")[..32])).ToString(),
                    ["bootID"] = Guid.NewGuid().ToString(),
                    ["kubeletVersion"] = "v1.32.0",
                    ["kubeProxyVersion"] = "v1.32.0",
                    ["operatingSystem"] = "linux",
                    ["architecture"] = "amd64",
                    ["containerRuntimeVersion"] = "sandbox://1.0",
                    ["osImage"] = "LbOperator sandbox",
                    ["kernelVersion"] = Environment.OSVersion.Version.ToString(),
                },
                ["capacity"] = new JsonObject { ["cpu"] = "8", ["memory"] = "16Gi", ["pods"] = "110" },
                ["allocatable"] = new JsonObject { ["cpu"] = "8", ["memory"] = "16Gi", ["pods"] = "110" },
            },
        };
    }
}
