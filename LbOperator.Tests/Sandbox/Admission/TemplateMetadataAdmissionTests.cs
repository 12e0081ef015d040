using System.Text.Json.Nodes;
using LbOperator.Sandbox;
using LbOperator.Sandbox.Admission;
using LbOperator.Sandbox.Resources;
using LbOperator.Sandbox.Schema;

namespace LbOperator.Tests.Sandbox.Admission;

[Category("Unit")]
public sealed class TemplateMetadataAdmissionTests
{
    [Test]
    public void Writes_Null_CreationTimestamp_Into_Nested_Metadata_Only()
    {
        var deployment = JsonNode.Parse("""
            {"metadata":{"name":"d"},"spec":{"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c"}]}}}}
            """)!.AsObject();
        var plugin = new TemplateMetadataAdmission(new KubernetesModelCatalog());

        plugin.AppliesTo(BuiltInResources.Deployments).Should().BeTrue();
        plugin.Admit(new AdmissionContext(AdmissionOperation.Create, BuiltInResources.Deployments, deployment, null, null!, ""));

        var template = deployment["spec"]!["template"]!["metadata"]!.AsObject();
        template.ContainsKey("creationTimestamp").Should().BeTrue();
        template["creationTimestamp"].Should().BeNull();
        deployment["metadata"]!.AsObject().ContainsKey("creationTimestamp").Should().BeFalse("the object's own timestamp is the server's to set");
    }

    [Test]
    public void Leaves_Custom_Resources_Alone() =>
        new TemplateMetadataAdmission(new KubernetesModelCatalog())
            .AppliesTo(new ResourceDescriptor("example.com", "v1", "Widget", "widgets", "widget", true, [], [], false, [], new JsonObject()))
            .Should().BeFalse();
}
