using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LbOperator.Sandbox.Api;

namespace LbOperator.Sandbox.Resources;

/// <summary>What a fresh cluster already holds: system namespaces, the nodes, the <c>kubernetes</c> Service, Multus' CRD.</summary>
public static class Bootstrap
{
    public static void Run(ResourceService api, SandboxOptions options)
    {
        foreach (var ns in ResourceService.SystemNamespaces.Order(StringComparer.Ordinal))
        {
            api.Create(BuiltInResources.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } });
        }

        foreach (var simulated in options.Nodes)
        {
            var node = Node(api, simulated);
            api.Create(BuiltInResources.Nodes, null, node);
            // The node's kubelet (the heartbeat controller, already running) may post its Ready condition between
            // the create and this status write, as a real kubelet would: reapply on a conflict.
            api.Mutate(BuiltInResources.Nodes, null, simulated.Name, created =>
            {
                created["status"] = node["status"]!.DeepClone();
                return true;
            }, "status");
        }

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

    private static JsonObject Node(ResourceService api, SandboxNode simulated)
    {
        var now = Meta.Timestamp(api.Clock.GetUtcNow());
        return new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = simulated.Name,
                ["labels"] = new JsonObject([.. simulated.Labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))]),
            },
            ["spec"] = new JsonObject { ["podCIDR"] = simulated.PodCidr.ToString(), ["podCIDRs"] = new JsonArray(simulated.PodCidr.ToString()) },
            ["status"] = new JsonObject
            {
                ["addresses"] = new JsonArray(
                    new JsonObject { ["type"] = "InternalIP", ["address"] = simulated.InternalIp.ToString() },
                    new JsonObject { ["type"] = "Hostname", ["address"] = simulated.Name }),
                ["conditions"] = Controllers.NodeConditions.Healthy(now),
                ["nodeInfo"] = new JsonObject
                {
                    ["machineID"] = Hex(simulated.Name, "machine-id")[..32],
                    ["systemUUID"] = new Guid(Convert.FromHexString(Hex(simulated.Name, "product-uuid")[..32])).ToString(),
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
