using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace LbOperator.Tests.Sandbox;

[Category("Sandbox")]
public sealed class CustomResourceTests : SandboxTestBase
{
    private const string Group = "example.com";

    private static JsonObject Crd(string plural, string kind, JsonObject schema, bool status = true, string scope = "Namespaced") => new()
    {
        ["apiVersion"] = "apiextensions.k8s.io/v1",
        ["kind"] = "CustomResourceDefinition",
        ["metadata"] = new JsonObject { ["name"] = $"{plural}.{Group}" },
        ["spec"] = new JsonObject
        {
            ["group"] = Group,
            ["scope"] = scope,
            ["names"] = new JsonObject { ["plural"] = plural, ["kind"] = kind },
            ["versions"] = new JsonArray(new JsonObject
            {
                ["name"] = "v1",
                ["served"] = true,
                ["storage"] = true,
                ["schema"] = new JsonObject { ["openAPIV3Schema"] = schema },
                ["subresources"] = status ? new JsonObject { ["status"] = new JsonObject() } : null,
                ["additionalPrinterColumns"] = new JsonArray(new JsonObject { ["name"] = "Size", ["type"] = "integer", ["jsonPath"] = ".spec.size" }),
            }),
        },
    };

    private static JsonObject WidgetSchema() => JsonNode.Parse("""
        {
          "type": "object",
          "properties": {
            "spec": {
              "type": "object",
              "required": ["size"],
              "properties": {
                "size": {"type": "integer", "minimum": 1, "maximum": 10},
                "color": {"type": "string", "enum": ["red", "blue"], "default": "red"},
                "name": {"type": "string", "pattern": "^[a-z]+$", "maxLength": 8},
                "cidr": {"type": "string", "format": "cidr"},
                "tags": {"type": "array", "maxItems": 2, "items": {"type": "string"}},
                "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
                "port": {"x-kubernetes-int-or-string": true}
              },
              "x-kubernetes-validations": [{"rule": "self.size > 0"}]
            },
            "status": {"type": "object", "properties": {"phase": {"type": "string"}}}
          }
        }
        """)!.AsObject();

    private async Task CreateWidgetCrd(string plural)
    {
        await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(
            KubernetesJson.Deserialize<V1CustomResourceDefinition>(Crd(plural, "Widget" + plural.Length, WidgetSchema()).ToJsonString()));
    }

    private static JsonObject Widget(string kind, string name, JsonObject spec) => new()
    {
        ["apiVersion"] = $"{Group}/v1",
        ["kind"] = kind,
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = spec,
    };

    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..6];

    [Test]
    public async Task Crd_Becomes_Established_And_Its_Resources_Are_Served()
    {
        var plural = Unique("widgets");
        await CreateWidgetCrd(plural);
        var crd = await Eventually(() => Client.ApiextensionsV1.ReadCustomResourceDefinitionAsync($"{plural}.{Group}"),
            c => c.Status?.Conditions?.Any(x => x.Type == "Established" && x.Status == "True") == true, "Established");
        crd.Status.AcceptedNames.Kind.Should().Be("Widget" + plural.Length);
        crd.Status.StoredVersions.Should().Equal("v1");
        Sandbox.Registry.Find(Group, "v1", plural)!.PrinterColumns.Should().ContainSingle(c => c.Name == "Size");

        var kind = "Widget" + plural.Length;
        var created = await Client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonObject>(Widget(kind, "w1", new JsonObject { ["size"] = 3 }), Group, "v1", Ns, plural);
        created["metadata"]!["generation"]!.GetValue<long>().Should().Be(1);
        created["spec"]!["color"]!.GetValue<string>().Should().Be("red");
        var list = await Client.CustomObjects.ListNamespacedCustomObjectAsync<JsonObject>(Group, "v1", Ns, plural);
        list["items"]!.AsArray().Should().ContainSingle();
    }

    [Test]
    public async Task Custom_Resources_Are_Validated_Against_The_Schema()
    {
        var plural = Unique("widgets");
        await CreateWidgetCrd(plural);
        var kind = "Widget" + plural.Length;
        var e = await Fails(() => Client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonObject>(Widget(kind, "bad", new JsonObject
        {
            ["size"] = 11,
            ["color"] = "green",
            ["name"] = "Bad-Name",
            ["cidr"] = "nope",
            ["tags"] = new JsonArray("a", "b", "c"),
            ["port"] = true,
        }), Group, "v1", Ns, plural));
        e.Response.StatusCode.Should().Be((HttpStatusCode)422);
        var status = CrudTests.Status(e);
        status.Details.Causes.Select(c => c.Field).Should().Contain(["spec.size", "spec.color", "spec.name", "spec.cidr", "spec.tags", "spec.port"]);
        status.Message.Should().Contain("spec.size in body should be less than or equal to 10");
        status.Message.Should().Contain("spec.color: Unsupported value: \"green\": supported values: \"red\", \"blue\"");

        var missing = await Fails(() => Client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonObject>(Widget(kind, "missing", new JsonObject()), Group, "v1", Ns, plural));
        CrudTests.Status(missing).Details.Causes.Should().Contain(c => c.Field == "spec.size" && c.Reason == "FieldValueRequired");

        var wrongType = await Fails(() => Client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonObject>(Widget(kind, "wt", new JsonObject { ["size"] = "three" }), Group, "v1", Ns, plural));
        CrudTests.Status(wrongType).Message.Should().Contain("spec.size in body must be of type integer: \"string\"");
    }

    [Test]
    public async Task Unknown_Fields_Are_Pruned_Unless_Preserved()
    {
        var plural = Unique("widgets");
        await CreateWidgetCrd(plural);
        var kind = "Widget" + plural.Length;
        var body = Widget(kind, "p", new JsonObject { ["size"] = 1, ["unknown"] = "x", ["free"] = new JsonObject { ["anything"] = new JsonObject { ["goes"] = 1 } } });
        body["extra"] = "dropped";
        var created = await Client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonObject>(body, Group, "v1", Ns, plural);
        created.ContainsKey("extra").Should().BeFalse();
        created["spec"]!.AsObject().ContainsKey("unknown").Should().BeFalse();
        created["spec"]!["free"]!["anything"]!["goes"]!.GetValue<int>().Should().Be(1);
    }

    [Test]
    public async Task Custom_Resource_Status_Subresource_Separates_Spec_And_Status()
    {
        var plural = Unique("widgets");
        await CreateWidgetCrd(plural);
        var kind = "Widget" + plural.Length;
        var body = Widget(kind, "s", new JsonObject { ["size"] = 1 });
        body["status"] = new JsonObject { ["phase"] = "Ignored" };
        var created = await Client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonObject>(body, Group, "v1", Ns, plural);
        created.ContainsKey("status").Should().BeFalse();

        var withStatus = await Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync<JsonObject>(
            new V1Patch("{\"status\":{\"phase\":\"Ready\"},\"spec\":{\"size\":5}}", V1Patch.PatchType.MergePatch), Group, "v1", Ns, plural, "s");
        withStatus["status"]!["phase"]!.GetValue<string>().Should().Be("Ready");
        withStatus["spec"]!["size"]!.GetValue<int>().Should().Be(1);
        withStatus["metadata"]!["generation"]!.GetValue<long>().Should().Be(1);

        var specChange = await Client.CustomObjects.PatchNamespacedCustomObjectAsync<JsonObject>(
            new V1Patch("{\"status\":{\"phase\":\"Nope\"},\"spec\":{\"size\":5}}", V1Patch.PatchType.MergePatch), Group, "v1", Ns, plural, "s");
        specChange["status"]!["phase"]!.GetValue<string>().Should().Be("Ready");
        specChange["metadata"]!["generation"]!.GetValue<long>().Should().Be(2);
    }

    [Test]
    public async Task Custom_Resource_Update_Without_ResourceVersion_Is_Invalid()
    {
        var plural = Unique("widgets");
        await CreateWidgetCrd(plural);
        var kind = "Widget" + plural.Length;
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonObject>(Widget(kind, "u", new JsonObject { ["size"] = 1 }), Group, "v1", Ns, plural);
        var e = await Fails(() => Client.CustomObjects.ReplaceNamespacedCustomObjectAsync<JsonObject>(Widget(kind, "u", new JsonObject { ["size"] = 2 }), Group, "v1", Ns, plural, "u"));
        CrudTests.Status(e).Message.Should().Contain("metadata.resourceVersion: Invalid value: 0: must be specified for an update");
    }

    [Test]
    public async Task Non_Structural_Schemas_Are_Refused()
    {
        var schema = JsonNode.Parse("""{"type":"object","properties":{"spec":{"properties":{"a":{"type":"string"}}},"list":{"type":"array"}}}""")!.AsObject();
        var crd = KubernetesJson.Deserialize<V1CustomResourceDefinition>(Crd("gadgets", "Gadget", schema).ToJsonString());
        var e = await Fails(() => Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd));
        e.Response.StatusCode.Should().Be((HttpStatusCode)422);
        var causes = CrudTests.Status(e).Details.Causes.Select(c => c.Field).ToList();
        causes.Should().Contain("spec.versions[0].schema.openAPIV3Schema.properties[spec].type");
        causes.Should().Contain("spec.versions[0].schema.openAPIV3Schema.properties[list].items");
    }

    [Test]
    public async Task Int_Or_String_With_The_AnyOf_Pattern_Is_Structural()
    {
        var schema = JsonNode.Parse("""
            {"type":"object","properties":{"spec":{"type":"object","properties":{
              "port":{"x-kubernetes-int-or-string":true,"anyOf":[{"type":"integer"},{"type":"string"}]}}}}}
            """)!.AsObject();
        var plural = Unique("ports");
        await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesJson.Deserialize<V1CustomResourceDefinition>(Crd(plural, "Port" + plural.Length, schema).ToJsonString()));
        var kind = "Port" + plural.Length;
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonObject>(Widget(kind, "by-number", new JsonObject { ["port"] = 80 }), Group, "v1", Ns, plural);
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonObject>(Widget(kind, "by-name", new JsonObject { ["port"] = "http" }), Group, "v1", Ns, plural);
        var e = await Fails(() => Client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonObject>(Widget(kind, "bad", new JsonObject { ["port"] = 1.5 }), Group, "v1", Ns, plural));
        e.Response.StatusCode.Should().Be((HttpStatusCode)422);
    }

    [Test]
    public async Task Crd_Name_Must_Be_Plural_Dot_Group()
    {
        var body = Crd("things", "Thing", WidgetSchema());
        body["metadata"]!["name"] = "wrong.example.com";
        var e = await Fails(() => Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesJson.Deserialize<V1CustomResourceDefinition>(body.ToJsonString())));
        CrudTests.Status(e).Message.Should().Contain("must be spec.names.plural+\".\"+spec.group");
    }

    [Test]
    public async Task Deleting_A_Crd_Removes_Its_Resources_And_Stops_Serving_Them()
    {
        var plural = Unique("widgets");
        await CreateWidgetCrd(plural);
        var kind = "Widget" + plural.Length;
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonObject>(Widget(kind, "d", new JsonObject { ["size"] = 1 }), Group, "v1", Ns, plural);
        await Client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync($"{plural}.{Group}");
        await Eventually(async () => Sandbox.Registry.Find(Group, "v1", plural), d => d is null, "the resource to stop being served");
        var e = await Fails(() => Client.CustomObjects.ListNamespacedCustomObjectAsync<JsonObject>(Group, "v1", Ns, plural));
        e.Response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task NetworkAttachmentDefinition_Crd_Is_Preinstalled()
    {
        var nad = new JsonObject
        {
            ["apiVersion"] = "k8s.cni.cncf.io/v1",
            ["kind"] = "NetworkAttachmentDefinition",
            ["metadata"] = new JsonObject { ["name"] = "macvlan" },
            ["spec"] = new JsonObject { ["config"] = "{\"cniVersion\":\"0.3.0\",\"type\":\"macvlan\"}" },
        };
        var created = await Client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonObject>(nad, "k8s.cni.cncf.io", "v1", Ns, "network-attachment-definitions");
        created["spec"]!["config"]!.GetValue<string>().Should().Contain("macvlan");
    }
}
