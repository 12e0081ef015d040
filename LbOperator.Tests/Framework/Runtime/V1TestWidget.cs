using System.Text.Json.Serialization;
using k8s.Models;
using LbOperator.Framework.Entities;

namespace LbOperator.Tests.Framework.Runtime;

/// <summary>A small custom kind with a status subresource, served by the sandbox from <see cref="Crd"/>.</summary>
[KubernetesEntity(Group = "framework.test", ApiVersion = "v1", Kind = "Widget", PluralName = "widgets")]
public sealed class V1TestWidget : CustomKubernetesEntity<V1TestWidget.WidgetSpec, V1TestWidget.WidgetStatus>
{
    public V1TestWidget()
    {
        ApiVersion = "framework.test/v1";
        Kind = "Widget";
    }

    public sealed class WidgetSpec
    {
        [JsonPropertyName("size")]
        public int Size { get; set; }
    }

    public sealed class WidgetStatus
    {
        [JsonPropertyName("observedSize")]
        public int? ObservedSize { get; set; }
    }

    public static V1CustomResourceDefinition Crd() => new()
    {
        ApiVersion = "apiextensions.k8s.io/v1",
        Kind = "CustomResourceDefinition",
        Metadata = new V1ObjectMeta { Name = "widgets.framework.test" },
        Spec = new V1CustomResourceDefinitionSpec
        {
            Group = "framework.test",
            Scope = "Namespaced",
            Names = new V1CustomResourceDefinitionNames { Kind = "Widget", ListKind = "WidgetList", Plural = "widgets", Singular = "widget" },
            Versions =
            [
                new V1CustomResourceDefinitionVersion
                {
                    Name = "v1",
                    Served = true,
                    Storage = true,
                    Subresources = new V1CustomResourceSubresources { Status = new object() },
                    Schema = new V1CustomResourceValidation
                    {
                        OpenAPIV3Schema = new V1JSONSchemaProps
                        {
                            Type = "object",
                            Properties = new Dictionary<string, V1JSONSchemaProps>
                            {
                                ["spec"] = new()
                                {
                                    Type = "object",
                                    Properties = new Dictionary<string, V1JSONSchemaProps> { ["size"] = new() { Type = "integer", Format = "int32" } },
                                },
                                ["status"] = new()
                                {
                                    Type = "object",
                                    Properties = new Dictionary<string, V1JSONSchemaProps> { ["observedSize"] = new() { Type = "integer", Format = "int32" } },
                                },
                            },
                        },
                    },
                },
            ],
        },
    };
}
