using System.Text;
using System.Text.Json.Nodes;
using LbOperator.Sandbox;
using LbOperator.Sandbox.Schema;
using LbOperator.Sandbox.Api;
using LbOperator.Sandbox.Validation;

namespace LbOperator.Tests.Sandbox.Validation;

[Category("Unit")]
public sealed class FieldValidatorTests
{
    private static readonly KubernetesModelCatalog Catalog = new();

    private static readonly ResourceDescriptor Services = new("", "v1", "Service", "services", "service", true, ["svc"], ["get"], true, []);

    private static readonly ResourceDescriptor Widgets = new("example.com", "v1", "Widget", "widgets", "widget", true, [], ["get"], false, [],
        JsonNode.Parse("""
            {"type":"object","properties":{
              "spec":{"type":"object","properties":{"size":{"type":"integer"},"tags":{"type":"array","items":{"type":"object","properties":{"k":{"type":"string"}}}},
                      "extra":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
                      "labels":{"type":"object","additionalProperties":{"type":"string"}}}}}}
            """)!.AsObject());

    private static FieldProblems Check(string json, ResourceDescriptor descriptor) =>
        new FieldValidator(Catalog).Check(RequestBody.Parse(Encoding.UTF8.GetBytes(json)), descriptor);

    [Test]
    public void Accepts_The_Seed_Service()
    {
        var problems = Check("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"test-service","namespace":"default","labels":{"app":"dynamic"},
              "annotations":{"ovn.kubernetes.io/attachmentprovider":"lb-svc-attachment.kube-system"}},
             "spec":{"loadBalancerIP":"172.18.0.18","ports":[{"name":"test","protocol":"TCP","port":80,"targetPort":80}],
               "selector":{"app":"dynamic"},"sessionAffinity":"None","type":"LoadBalancer"}}
            """, Services);

        problems.IsEmpty.Should().BeTrue(string.Join("; ", problems.UnknownOrDuplicate.Concat(problems.Malformed)));
    }

    [Test]
    public void Reports_Unknown_Fields_With_Their_Path()
    {
        var problems = Check("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"a","colour":"red"},"spec":{"foo":1,"ports":[{"port":80,"bogus":true}]}}""", Services);

        problems.UnknownOrDuplicate.Should().BeEquivalentTo(
            "unknown field \"metadata.colour\"", "unknown field \"spec.foo\"", "unknown field \"spec.ports[0].bogus\"");
        problems.StrictError(FieldValidationMode.Strict).Should().StartWith("strict decoding error: unknown field \"metadata.colour\"");
        problems.StrictError(FieldValidationMode.Warn).Should().BeNull();
        problems.Warnings(FieldValidationMode.Warn).Should().Contain("unknown field \"spec.foo\"");
        problems.Warnings(FieldValidationMode.Ignore).Should().BeEmpty();
    }

    [Test]
    public void Reports_Duplicate_Fields()
    {
        const string json = """{"kind":"Service","spec":{"ports":[{"port":80,"port":81}],"type":"A","type":"B"}}""";
        var problems = Check(json, Services);

        problems.UnknownOrDuplicate.Should().BeEquivalentTo("duplicate field \"spec.ports[0].port\"", "duplicate field \"spec.type\"");
        RequestBody.Parse(Encoding.UTF8.GetBytes(json)).Node!["spec"]!["type"]!.GetValue<string>().Should().Be("B", "the last value wins");
    }

    [Test]
    public void Reports_Values_Of_The_Wrong_Type_And_Accepts_Int_Or_String()
    {
        var problems = Check("""{"spec":{"ports":[{"port":"eighty","targetPort":"http"},{"port":81,"targetPort":8080}],"selector":{"a":"b"}}}""", Services);

        problems.Malformed.Should().ContainSingle().Which.Should().Be("cannot unmarshal string into field spec.ports[0].port of type integer");
        problems.UnknownOrDuplicate.Should().BeEmpty();
    }

    [Test]
    public void Checks_Custom_Resources_Against_Their_Schema()
    {
        var problems = Check("""
            {"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},
             "spec":{"size":1,"colour":"red","tags":[{"k":"a","v":"b"}],"extra":{"anything":{"goes":1}},"labels":{"x":"y"}},"status":{}}
            """, Widgets);

        problems.UnknownOrDuplicate.Should().BeEquivalentTo(
            "unknown field \"spec.colour\"", "unknown field \"spec.tags[0].v\"", "unknown field \"status\"");
    }

    [Test]
    public void Fails_Strict_Requests_With_Kube_Apiservers_Message()
    {
        var validator = new FieldValidator(Catalog);

        var act = () => validator.Validate(Services, """{"kind":"Service","spec":{"foo":1}}""", null, FieldValidationMode.Strict);

        act.Should().Throw<ApiException>().Which.Message.Should()
            .Be("Service in version \"v1\" cannot be handled as a Service: strict decoding error: unknown field \"spec.foo\"");
    }

    [Test]
    public void Warns_Or_Ignores_Unknown_Fields_By_Mode()
    {
        var validator = new FieldValidator(Catalog);
        const string body = """{"kind":"Service","spec":{"foo":1}}""";

        validator.Validate(Services, body, null, FieldValidationMode.Warn).Should().Equal("unknown field \"spec.foo\"");
        validator.Validate(Services, body, null, FieldValidationMode.Ignore).Should().BeEmpty();
    }

    [Test]
    public void Fails_Malformed_Values_In_Every_Mode() =>
        FluentActions.Invoking(() => new FieldValidator(Catalog).Validate(Services, """{"spec":{"ports":[{"port":true}]}}""", null, FieldValidationMode.Ignore))
            .Should().Throw<ApiException>().WithMessage("*spec.ports[0].port of type integer*");
}

[Category("Unit")]
public sealed class PatchFieldValidatorTests
{
    private static readonly ResourceDescriptor Services = new("", "v1", "Service", "services", "service", true, ["svc"], ["get"], true, []);

    private static FieldProblems CheckPatch(string json, string contentType) =>
        new FieldValidator(new KubernetesModelCatalog()).CheckPatch(RequestBody.Parse(json), contentType, Services);

    [Test]
    public void Skips_Strategic_Merge_Directives_But_Reports_Unknown_Fields()
    {
        var problems = CheckPatch(
            """{"spec":{"$setElementOrder/ports":[{"port":80}],"ports":[{"port":80,"$patch":"delete"},{"port":81,"colour":"red"}],"foo":null}}""",
            "application/strategic-merge-patch+json");

        problems.UnknownOrDuplicate.Should().BeEquivalentTo("unknown field \"spec.ports[1].colour\"", "unknown field \"spec.foo\"");
    }

    [Test]
    public void Checks_Json_Patch_Values_At_Their_Paths()
    {
        var problems = CheckPatch(
            """[{"op":"replace","path":"/spec/ports/0/port","value":"x"},{"op":"add","path":"/spec/bogus","value":1},{"op":"add","path":"/metadata/labels/a~1b","value":"c"},{"op":"remove","path":"/spec/whatever"}]""",
            "application/json-patch+json");

        problems.Malformed.Should().Equal("cannot unmarshal string into field spec.ports[0].port of type integer");
        problems.UnknownOrDuplicate.Should().Equal("unknown field \"spec.bogus\"");
    }
}
