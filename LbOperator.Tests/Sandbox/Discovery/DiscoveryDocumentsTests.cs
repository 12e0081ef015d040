using System.Text.Json.Nodes;
using LbOperator.Sandbox;
using LbOperator.Sandbox.Discovery;

namespace LbOperator.Tests.Sandbox.Discovery;

[Category("Unit")]
public sealed class DiscoveryDocumentsTests
{
    private static readonly string[] Verbs = ["create", "delete", "get", "list", "patch", "update", "watch"];

    private static readonly ResourceDescriptor[] Descriptors =
    [
        new("", "v1", "Service", "services", "service", true, ["svc"], Verbs, true, [], Categories: ["all"]),
        new("", "v1", "Namespace", "namespaces", "namespace", false, ["ns"], Verbs, false, []),
        new("apps", "v1", "Deployment", "deployments", "deployment", true, ["deploy"], Verbs, true, []),
        new("example.com", "v1beta1", "Widget", "widgets", "widget", true, [], Verbs, false, [], new JsonObject()),
        new("example.com", "v1", "Widget", "widgets", "widget", true, [], Verbs, false, [], new JsonObject()),
        new("example.com", "v1alpha1", "Widget", "widgets", "widget", true, [], Verbs, false, [], new JsonObject()),
    ];

    [Test]
    public void Reports_Kubernetes_1_32()
    {
        var version = DiscoveryDocuments.Version();

        (version["major"]!.GetValue<string>(), version["minor"]!.GetValue<string>()).Should().Be(("1", "32"));
        version["gitVersion"]!.GetValue<string>().Should().StartWith("v1.32.");
    }

    [Test]
    public void Lists_Named_Groups_With_The_Preferred_Version_First()
    {
        var groups = DiscoveryDocuments.ApiGroupList(Descriptors)["groups"]!.AsArray();

        groups.Select(g => g!["name"]!.GetValue<string>()).Should().Equal("apps", "example.com");
        var example = groups[1]!;
        example["preferredVersion"]!["groupVersion"]!.GetValue<string>().Should().Be("example.com/v1");
        example["versions"]!.AsArray().Select(v => v!["version"]!.GetValue<string>()).Should().Equal("v1", "v1beta1", "v1alpha1");
    }

    [Test]
    public void Lists_The_Scale_Subresource_Of_Deployments()
    {
        var resources = DiscoveryDocuments.ApiResourceList("apps/v1", [LbOperator.Sandbox.Resources.BuiltInResources.Deployments])["resources"]!.AsArray();

        resources.Select(r => r!["name"]!.GetValue<string>()).Should().Equal("deployments", "deployments/status", "deployments/scale");
        resources[2]!["kind"]!.GetValue<string>().Should().Be("Scale");
        resources[2]!["group"]!.GetValue<string>().Should().Be("autoscaling");
    }

    [Test]
    public void Lists_Core_Resources_With_Status_Subresources()
    {
        var list = DiscoveryDocuments.ApiResourceList("v1", Descriptors);

        list["kind"]!.GetValue<string>().Should().Be("APIResourceList");
        var resources = list["resources"]!.AsArray();
        resources.Select(r => r!["name"]!.GetValue<string>()).Should().Equal("namespaces", "services", "services/status");
        var services = resources[1]!;
        services["shortNames"]!.AsArray().Select(s => s!.GetValue<string>()).Should().Equal("svc");
        services["categories"]!.AsArray().Select(s => s!.GetValue<string>()).Should().Equal("all");
        services["namespaced"]!.GetValue<bool>().Should().BeTrue();
        resources[2]!["verbs"]!.AsArray().Select(v => v!.GetValue<string>()).Should().Equal("get", "patch", "update");
        resources[0]!["namespaced"]!.GetValue<bool>().Should().BeFalse();
    }
}
