using System.Text.Json.Nodes;
using LbOperator.Sandbox.Api;

namespace LbOperator.Sandbox.Resources;

/// <summary>What a fresh cluster already holds: system namespaces, the node, the <c>kubernetes</c> Service, Multus' CRD.</summary>
public static class Bootstrap
{
    public static void Run(ResourceService api, SandboxOptions options)
    {
        foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
        {
            api.Create(BuiltInResources.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } });
        }
    }
}
