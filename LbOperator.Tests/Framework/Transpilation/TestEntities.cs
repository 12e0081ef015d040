using System.Text.Json.Serialization;
using k8s.Models;
using LbOperator.Framework.Entities;
using LbOperator.Framework.Entities.Attributes;
using Description = LbOperator.Framework.Entities.Attributes.DescriptionAttribute;
using KubeIgnore = LbOperator.Framework.Entities.Attributes.IgnoreAttribute;

namespace LbOperator.Tests.Framework.Transpilation;

// Entities that exist only to be transpiled: every mapping rule and attribute has one property here.

[KubernetesEntity(Group = "testing.lboperator.io", ApiVersion = "v1", Kind = "Widget", PluralName = "widgets")]
[KubernetesEntityShortNames("wd", "wdg")]
[Description("A widget for transpiler tests.")]
[GenericAdditionalPrinterColumn(".status.phase", "Phase", "string")]
[GenericAdditionalPrinterColumn(".metadata.creationTimestamp", "Age", "date", Priority = PrinterColumnPriority.WideView, Description = "Time since creation")]
[ValidationRule("self.metadata.name.size() <= 63", message: "name too long")]
public sealed class V1Widget : CustomKubernetesEntity<V1Widget.WidgetSpec, V1Widget.WidgetStatus>
{
    public sealed class WidgetSpec
    {
        [Required]
        [Description("The widget's name.")]
        [Pattern("^[a-z]+$")]
        [Length(1, 63)]
        [AdditionalPrinterColumn(name: "Name")]
        public string? Name { get; set; }

        [RangeMinimum(1)]
        [RangeMaximum(10, exclusiveMaximum: true)]
        [AdditionalPrinterColumn(PrinterColumnPriority.WideView)]
        public int Size { get; set; }

        public long? Count { get; set; }

        public double Ratio { get; set; }

        public float Scale { get; set; }

        public decimal Price { get; set; }

        public bool Enabled { get; set; }

        public DateTime Created { get; set; }

        public DateTimeOffset? Expires { get; set; }

        public Guid Id { get; set; }

        public WidgetColor Color { get; set; }

        [Items(1, 3)]
        [Pattern("^[a-z]+$")]
        public IList<string> Tags { get; set; } = [];

        public IDictionary<string, int> Limits { get; set; } = new Dictionary<string, int>();

        public Dictionary<string, WidgetPart>? PartsByName { get; set; }

        public WidgetPart[] Parts { get; set; } = [];

        public IntOrString? Port { get; set; }

        public ResourceQuantity? Memory { get; set; }

        public object? Anything { get; set; }

        [PreserveUnknownFields]
        [ValidationRule("has(self.kind)", reason: "FieldValueRequired")]
        public WidgetPart Open { get; set; } = new();

        public V1Pod? Template { get; set; }

        [KubeIgnore]
        public string Hidden { get; set; } = string.Empty;

        [JsonIgnore]
        public string NotSerialized { get; set; } = string.Empty;

        [JsonPropertyName("Zeta")]
        public string? UpperCaseName { get; set; }

        [EnumValues("a", "b")]
        public string Choice { get; set; } = "a";
    }

    public sealed class WidgetStatus
    {
        [AdditionalPrinterColumn(name: "Ready")]
        public bool Ready { get; set; }

        public string? Phase { get; set; }

        public IList<V1Condition>? Conditions { get; set; }
    }
}

[Description("A part of a widget.")]
public sealed class WidgetPart
{
    [Required]
    public string Kind { get; set; } = string.Empty;

    public int? Weight { get; set; }
}

public enum WidgetColor
{
    Red,
    [JsonStringEnumMemberName("dark-blue")] DarkBlue,
}

/// <summary>No scope attribute, no status, no required field, no plural.</summary>
[KubernetesEntity(Group = "testing.lboperator.io", ApiVersion = "v1beta1", Kind = "Gadget")]
public sealed class V1Gadget : CustomKubernetesEntity<V1Gadget.GadgetSpec>
{
    public sealed class GadgetSpec
    {
        public string? Label { get; set; }
    }
}

[KubernetesEntity(Group = "testing.lboperator.io", ApiVersion = "v1", Kind = "Ignored")]
[KubeIgnore]
public sealed class V1IgnoredEntity : CustomKubernetesEntity<V1Gadget.GadgetSpec>;

[KubernetesEntity(Group = "testing.lboperator.io", ApiVersion = "v1", Kind = "ClusterThing", PluralName = "clusterthings")]
[EntityScope(EntityScope.Cluster)]
public sealed class V1ClusterThing : CustomKubernetesEntity<V1ClusterThing.ThingSpec, V1ClusterThing.ThingStatus>
{
    [Required]
    public sealed class ThingSpec
    {
        public string? Value { get; set; }
    }

    public sealed class ThingStatus
    {
        public string? Observed { get; set; }
    }
}

/// <summary>A linked list: recursive, so only transpilable when the recursion is cut.</summary>
[KubernetesEntity(Group = "testing.lboperator.io", ApiVersion = "v1", Kind = "Chain")]
[KubeIgnore]
public sealed class V1Chain : CustomKubernetesEntity<ChainLink>;

public sealed class ChainLink
{
    public string? Value { get; set; }

    public ChainLink? Next { get; set; }
}

[KubernetesEntity(Group = "testing.lboperator.io", ApiVersion = "v1", Kind = "CutChain")]
[KubeIgnore]
public sealed class V1CutChain : CustomKubernetesEntity<CutChainLink>;

public sealed class CutChainLink
{
    public string? Value { get; set; }

    [PreserveUnknownFields]
    public CutChainLink? Next { get; set; }
}

[KubernetesEntity(Group = "testing.lboperator.io", ApiVersion = "v1", Kind = "BadPattern")]
[KubeIgnore]
public sealed class V1BadPattern : CustomKubernetesEntity<V1BadPattern.BadSpec>
{
    public sealed class BadSpec
    {
        [Pattern("^[0-9]+$")]
        public int Number { get; set; }
    }
}

[KubernetesEntity(Group = "testing.lboperator.io", ApiVersion = "v1", Kind = "BadItems")]
[KubeIgnore]
public sealed class V1BadItems : CustomKubernetesEntity<V1BadItems.BadSpec>
{
    public sealed class BadSpec
    {
        [Items(1, 2)]
        public string? Text { get; set; }
    }
}

[KubernetesEntity(Group = "", ApiVersion = "v1", Kind = "CoreThing")]
[KubeIgnore]
public sealed class V1CoreThing : CustomKubernetesEntity<V1Gadget.GadgetSpec>;

[KubernetesEntity(Group = "testing.lboperator.io", ApiVersion = "v1", Kind = "BadColumn")]
[GenericAdditionalPrinterColumn(".spec.label", "Label", "text")]
[KubeIgnore]
public sealed class V1BadColumn : CustomKubernetesEntity<V1Gadget.GadgetSpec>;
