using System.Text.Json.Nodes;

namespace LbOperator.Sandbox.Discovery;

/// <summary>
/// The legacy discovery documents kubectl reads before anything else: <c>/version</c>, <c>/api</c>, <c>/apis</c>,
/// <c>/api/v1</c> and <c>/apis/{group}/{version}</c>. Built from the server's resource descriptors.
/// </summary>
public static class DiscoveryDocuments
{
    /// <summary>The Kubernetes release the sandbox claims to be; kubectl's dispatcher picks its 1.32 binary by it.</summary>
    public const string GitVersion = "v1.32.0-sandbox";

    /// <summary><c>GET /version</c>.</summary>
    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = GitVersion,
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2024-12-11T00:00:00Z",
        ["goVersion"] = "go1.23.4",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    /// <summary><c>GET /api</c>: the core group's versions.</summary>
    public static JsonObject CoreApiVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    /// <summary><c>GET /apis</c>: every named group with its versions, preferred version first.</summary>
    public static JsonObject ApiGroupList(IEnumerable<ResourceDescriptor> descriptors) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray([.. descriptors
            .Where(d => d.Group.Length > 0)
            .GroupBy(d => d.Group)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (JsonNode)ApiGroup(g.Key, g.Select(d => d.Version)))]),
    };

    /// <summary><c>GET /apis/{group}</c>: one group.</summary>
    public static JsonObject ApiGroup(string group, IEnumerable<string> versions)
    {
        var ordered = versions.Distinct().Order(KubeVersionOrder.Instance).ToList();
        JsonObject Entry(string version) => new() { ["groupVersion"] = $"{group}/{version}", ["version"] = version };
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = new JsonArray([.. ordered.Select(v => (JsonNode)Entry(v))]),
            ["preferredVersion"] = Entry(ordered[0]),
        };
    }

    /// <summary><c>GET /api/v1</c> or <c>GET /apis/{group}/{version}</c>: the resources of one group version.</summary>
    public static JsonObject ApiResourceList(string groupVersion, IEnumerable<ResourceDescriptor> descriptors)
    {
        var resources = new JsonArray();
        foreach (var descriptor in descriptors.Where(d => d.GroupVersion == groupVersion).OrderBy(d => d.Plural, StringComparer.Ordinal))
        {
            resources.Add(Resource(descriptor));
            if (descriptor.HasStatusSubresource)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = $"{descriptor.Plural}/status",
                    ["singularName"] = "",
                    ["namespaced"] = descriptor.Namespaced,
                    ["kind"] = descriptor.Kind,
                    ["verbs"] = new JsonArray([.. StatusVerbs.Where(descriptor.Verbs.Contains).Select(v => (JsonNode)v)]),
                });
            }

            if (Api.EvictionSubresource.Supports(descriptor))
            {
                resources.Add(new JsonObject
                {
                    ["name"] = $"{descriptor.Plural}/eviction",
                    ["singularName"] = "",
                    ["namespaced"] = descriptor.Namespaced,
                    ["group"] = "policy",
                    ["version"] = "v1",
                    ["kind"] = "Eviction",
                    ["verbs"] = new JsonArray("create"),
                });
            }

            if (Api.ScaleSubresource.Supports(descriptor))
            {
                resources.Add(new JsonObject
                {
                    ["name"] = $"{descriptor.Plural}/scale",
                    ["singularName"] = "",
                    ["namespaced"] = descriptor.Namespaced,
                    ["group"] = "autoscaling",
                    ["version"] = "v1",
                    ["kind"] = "Scale",
                    ["verbs"] = new JsonArray([.. StatusVerbs.Select(v => (JsonNode)v)]),
                });
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = groupVersion,
            ["resources"] = resources,
        };
    }

    private static readonly string[] StatusVerbs = ["get", "patch", "update"];

    private static JsonObject Resource(ResourceDescriptor descriptor)
    {
        var resource = new JsonObject
        {
            ["name"] = descriptor.Plural,
            ["singularName"] = descriptor.Singular,
            ["namespaced"] = descriptor.Namespaced,
            ["kind"] = descriptor.Kind,
            ["verbs"] = new JsonArray([.. descriptor.Verbs.Select(v => (JsonNode)v)]),
        };
        if (descriptor.ShortNames.Count > 0)
        {
            resource["shortNames"] = new JsonArray([.. descriptor.ShortNames.Select(s => (JsonNode)s)]);
        }

        if (descriptor.Categories is { Count: > 0 } categories)
        {
            resource["categories"] = new JsonArray([.. categories.Select(c => (JsonNode)c)]);
        }

        return resource;
    }
}
