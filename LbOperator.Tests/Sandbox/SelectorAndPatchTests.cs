using System.Text.Json.Nodes;
using LbOperator.Sandbox.Api;

namespace LbOperator.Tests.Sandbox;

[Category("Unit")]
public sealed class SelectorAndPatchTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["app"] = "web", ["tier"] = "front", ["env"] = "prod" };

    [TestCase("", true)]
    [TestCase("app=web", true)]
    [TestCase("app==web", true)]
    [TestCase("app!=web", false)]
    [TestCase("app=db", false)]
    [TestCase("app in (db, web)", true)]
    [TestCase("app notin (web)", false)]
    [TestCase("missing notin (x)", true)]
    [TestCase("tier", true)]
    [TestCase("!tier", false)]
    [TestCase("!missing", true)]
    [TestCase("app=web,env in (prod,staging),!missing", true)]
    [TestCase("app=web,env=dev", false)]
    public void Label_Selector_Matches_As_Kubernetes_Does(string selector, bool matches) =>
        LabelSelector.Parse(selector).Matches(Labels).Should().Be(matches);

    [TestCase("app in (web")]
    [TestCase("app in web)")]
    [TestCase("a b")]
    public void Malformed_Label_Selector_Is_A_Bad_Request(string selector) =>
        FluentActions.Invoking(() => LabelSelector.Parse(selector)).Should().Throw<ApiException>().Which.Code.Should().Be(400);

    [Test]
    public void Empty_Map_Selector_Matches_Nothing_But_An_Empty_Parsed_One_Matches_Everything()
    {
        LabelSelector.FromObject(new JsonObject { ["matchExpressions"] = new JsonArray(new JsonObject { ["key"] = "tier", ["operator"] = "Exists" }) })
            .Matches(Labels).Should().BeTrue();
        LabelSelector.Everything.Matches(Labels).Should().BeTrue();
    }

    [Test]
    public void Merge_Patch_Follows_RFC_7386()
    {
        var target = JsonNode.Parse("""{"a":"b","c":{"d":"e","f":"g"},"list":[1,2]}""");
        var patch = JsonNode.Parse("""{"a":"z","c":{"f":null},"list":[3],"new":{"x":1}}""");
        MergePatch.Apply(target, patch)!.ToJsonString().Should().Be("""{"a":"z","c":{"d":"e"},"list":[3],"new":{"x":1}}""");
    }

    [Test]
    public void Json_Patch_Supports_Every_Operation()
    {
        var target = JsonNode.Parse("""{"a":{"b":1},"list":["x","y"],"k~/":0}""")!.AsObject();
        var ops = JsonNode.Parse("""
            [
              {"op":"add","path":"/list/1","value":"inserted"},
              {"op":"add","path":"/list/-","value":"last"},
              {"op":"remove","path":"/list/0"},
              {"op":"replace","path":"/a/b","value":2},
              {"op":"copy","from":"/a","path":"/copied"},
              {"op":"move","from":"/k~0~1","path":"/moved"},
              {"op":"test","path":"/copied/b","value":2}
            ]
            """)!.AsArray();
        JsonPatch.Apply(target, ops).ToJsonString().Should().Be("""{"a":{"b":2},"list":["inserted","y","last"],"copied":{"b":2},"moved":0}""");
        target.ToJsonString().Should().Contain("\"x\"", "the original is left alone");
    }

    [Test]
    public void Json_Patch_Removing_A_Missing_Path_Is_Invalid() =>
        FluentActions.Invoking(() => JsonPatch.Apply(new JsonObject(), JsonNode.Parse("""[{"op":"remove","path":"/nope"}]""")!.AsArray()))
            .Should().Throw<ApiException>().Which.Code.Should().Be(422);

    [Test]
    public void Field_Errors_Render_As_Kube_Apiserver_Renders_Them()
    {
        FieldError.Invalid("spec.replicas", JsonValue.Create(-1), "must be greater than or equal to 0").ToString()
            .Should().Be("spec.replicas: Invalid value: -1: must be greater than or equal to 0");
        FieldError.Required("spec.selector").ToString().Should().Be("spec.selector: Required value");
        FieldError.NotSupported("spec.type", JsonValue.Create("Foo"), ["ClusterIP", "NodePort"]).ToString()
            .Should().Be("spec.type: Unsupported value: \"Foo\": supported values: \"ClusterIP\", \"NodePort\"");
    }
}
