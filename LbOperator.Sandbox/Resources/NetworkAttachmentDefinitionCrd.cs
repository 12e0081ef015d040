using System.Text.Json.Nodes;

namespace LbOperator.Sandbox.Resources;

/// <summary>Multus' NetworkAttachmentDefinition CRD (k8s.cni.cncf.io/v1), pre-installed as a Multus cluster has it.</summary>
public static class NetworkAttachmentDefinitionCrd
{
    public static JsonObject Create() => new()
    {
        ["apiVersion"] = "apiextensions.k8s.io/v1",
        ["kind"] = "CustomResourceDefinition",
        ["metadata"] = new JsonObject { ["name"] = "network-attachment-definitions.k8s.cni.cncf.io" },
        ["spec"] = new JsonObject
        {
            ["group"] = "k8s.cni.cncf.io",
            ["scope"] = "Namespaced",
            ["names"] = new JsonObject
            {
                ["plural"] = "network-attachment-definitions",
                ["singular"] = "network-attachment-definition",
                ["kind"] = "NetworkAttachmentDefinition",
                ["shortNames"] = new JsonArray("net-attach-def"),
            },
            ["versions"] = new JsonArray(new JsonObject
            {
                ["name"] = "v1",
                ["served"] = true,
                ["storage"] = true,
                ["schema"] = new JsonObject
                {
                    ["openAPIV3Schema"] = new JsonObject
                    {
                        ["description"] = "NetworkAttachmentDefinition is a CRD schema specified by the Network Plumbing Working Group to express the intent for attaching pods to one or more logical or physical networks.",
                        ["type"] = "object",
                        ["properties"] = new JsonObject
                        {
                            ["apiVersion"] = new JsonObject { ["type"] = "string" },
                            ["kind"] = new JsonObject { ["type"] = "string" },
                            ["metadata"] = new JsonObject { ["type"] = "object" },
                            ["spec"] = new JsonObject
                            {
                                ["description"] = "NetworkAttachmentDefinition spec defines the desired state of a network attachment",
                                ["type"] = "object",
                                ["properties"] = new JsonObject
                                {
                                    ["config"] = new JsonObject
                                    {
                                        ["description"] = "NetworkAttachmentDefinition config is a JSON-formatted CNI configuration",
                                        ["type"] = "string",
                                    },
                                },
                            },
                        },
                    },
                },
            }),
        },
    };
}
