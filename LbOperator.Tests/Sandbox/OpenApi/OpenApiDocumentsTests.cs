using System.Text.Json.Nodes;
using LbOperator.Sandbox;
using LbOperator.Sandbox.OpenApi;

namespace LbOperator.Tests.Sandbox.OpenApi;

[Category("Unit")]
public sealed class OpenApiDocumentsTests
{
    private static readonly string[] Verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    private static readonly ResourceDescriptor Services = new("", "v1", "Service", "services", "service", true, ["svc"], Verbs, true, []);

    private static readonly ResourceDescriptor Subnets = new("kubeovn.io", "v1", "Subnet", "subnets", "subnet", false, [], Verbs, true, [],
        JsonNode.Parse("""{"type":"object","properties":{"spec":{"type":"object","properties":{"cidrBlock":{"type":"string"}}}}}""")!.AsObject());

    [Test]
    public void Indexes_Each_Group_Version_With_A_Content_Hash()
    {
        var index = OpenApiDocuments.Index([Services, Subnets]);

        var paths = index["paths"]!.AsObject();
        paths.Select(p => p.Key).Should().Equal("api/v1", "apis/kubeovn.io/v1");
        var url = paths["api/v1"]!["serverRelativeURL"]!.GetValue<string>();
        url.Should().Be($"/openapi/v3/api/v1?hash={OpenApiDocuments.Hash(OpenApiDocuments.GroupVersion("v1", [Services]))}");
        OpenApiDocuments.Index([Services, Subnets with { Schema = new JsonObject() }])["paths"]!["apis/kubeovn.io/v1"]!["serverRelativeURL"]!
            .GetValue<string>().Should().NotBe(paths["apis/kubeovn.io/v1"]!["serverRelativeURL"]!.GetValue<string>(), "a changed schema changes the hash");
    }

    [Test]
    public void Tags_Every_Patch_With_Its_Kind_And_The_FieldValidation_Parameter()
    {
        var document = OpenApiDocuments.GroupVersion("v1", [Services]);

        var item = document["paths"]!["/api/v1/namespaces/{namespace}/services/{name}"]!;
        var patch = item["patch"]!;
        patch["x-kubernetes-action"]!.GetValue<string>().Should().Be("patch");
        patch["x-kubernetes-group-version-kind"]!["kind"]!.GetValue<string>().Should().Be("Service");
        patch["parameters"]!.AsArray().Should().Contain(p => p!["name"]!.GetValue<string>() == "fieldValidation" && p["in"]!.GetValue<string>() == "query");
        item["put"].Should().NotBeNull();
        patch["requestBody"]!["content"]!.AsObject().Should().ContainKey("application/strategic-merge-patch+json");
        document["paths"]!["/api/v1/namespaces/{namespace}/services"]!["post"]!["x-kubernetes-action"]!.GetValue<string>().Should().Be("post");
        document["paths"]!["/api/v1/namespaces/{namespace}/services/{name}/status"]!["patch"].Should().NotBeNull();
        document["paths"]!["/api/v1/services"]!["get"]!["x-kubernetes-action"]!.GetValue<string>().Should().Be("list");
    }

    [Test]
    public void Publishes_Custom_Resource_Schemas_Tagged_With_Their_Kind()
    {
        var document = OpenApiDocuments.GroupVersion("kubeovn.io/v1", [Subnets]);

        var schema = document["components"]!["schemas"]!["io.kubeovn.v1.Subnet"]!;
        schema["x-kubernetes-group-version-kind"]![0]!["kind"]!.GetValue<string>().Should().Be("Subnet");
        schema["properties"]!["spec"]!["properties"]!["cidrBlock"]!["type"]!.GetValue<string>().Should().Be("string");
        schema["properties"]!["metadata"].Should().NotBeNull();
        document["paths"]!.AsObject().Should().ContainKey("/apis/kubeovn.io/v1/subnets/{name}");
        Subnets.Schema!["properties"]!.AsObject().ContainsKey("metadata").Should().BeFalse("the descriptor's schema is not modified");
        document["paths"]!["/apis/kubeovn.io/v1/subnets/{name}"]!["patch"]!["requestBody"]!["content"]!.AsObject().Select(c => c.Key)
            .Should().BeEquivalentTo(["application/json-patch+json", "application/merge-patch+json"], "custom resources take no strategic merge patch");
    }
}
