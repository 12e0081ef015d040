using k8s.Models;
using LbOperator.Framework.Transpilation;

namespace LbOperator.Tests.Framework.Transpilation;

[Category("Unit")]
public sealed class CrdTranspilerTests
{
    private static V1CustomResourceDefinition Widget => CrdTranspiler.Transpile(typeof(V1Widget));

    private static V1JSONSchemaProps Root(V1CustomResourceDefinition crd) => crd.Spec.Versions.Single().Schema.OpenAPIV3Schema;

    private static V1JSONSchemaProps WidgetSpec => Root(Widget).Properties["spec"];

    [Test]
    public void Names_Come_From_The_KubernetesEntity_Attribute()
    {
        var crd = Widget;
        crd.ApiVersion.Should().Be("apiextensions.k8s.io/v1");
        crd.Kind.Should().Be("CustomResourceDefinition");
        crd.Metadata.Name.Should().Be("widgets.testing.lboperator.io");
        crd.Spec.Group.Should().Be("testing.lboperator.io");
        crd.Spec.Names.Kind.Should().Be("Widget");
        crd.Spec.Names.ListKind.Should().Be("WidgetList");
        crd.Spec.Names.Singular.Should().Be("widget");
        crd.Spec.Names.Plural.Should().Be("widgets");
        crd.Spec.Names.ShortNames.Should().Equal("wd", "wdg");
    }

    [Test]
    public void Plural_Defaults_To_Kind_Plus_S_Lower_Cased()
    {
        var crd = CrdTranspiler.Transpile(typeof(V1Gadget));
        crd.Spec.Names.Plural.Should().Be("gadgets");
        crd.Metadata.Name.Should().Be("gadgets.testing.lboperator.io");
        crd.Spec.Names.ShortNames.Should().BeNull();
    }

    [Test]
    public void Scope_Defaults_To_Namespaced_And_Follows_EntityScope()
    {
        CrdTranspiler.Transpile(typeof(V1Gadget)).Spec.Scope.Should().Be("Namespaced");
        CrdTranspiler.Transpile(typeof(V1ClusterThing)).Spec.Scope.Should().Be("Cluster");
    }

    [Test]
    public void One_Served_Storage_Version_Named_After_ApiVersion()
    {
        var version = CrdTranspiler.Transpile(typeof(V1Gadget)).Spec.Versions.Should().ContainSingle().Subject;
        version.Name.Should().Be("v1beta1");
        version.Served.Should().BeTrue();
        version.Storage.Should().BeTrue();
    }

    [Test]
    public void Status_Subresource_Only_When_The_Entity_Has_A_Status()
    {
        Widget.Spec.Versions[0].Subresources.Should().NotBeNull();
        Widget.Spec.Versions[0].Subresources.Status.Should().NotBeNull();
        CrdTranspiler.Transpile(typeof(V1Gadget)).Spec.Versions[0].Subresources.Should().BeNull();
    }

    [Test]
    public void Root_Schema_Leaves_Out_ApiVersion_Kind_And_Metadata()
    {
        var root = Root(Widget);
        root.Type.Should().Be("object");
        root.Description.Should().Be("A widget for transpiler tests.");
        root.Properties.Keys.Should().Equal("spec", "status");
    }

    [Test]
    public void Spec_Is_Required_When_A_Direct_Property_Or_The_Class_Is_Required()
    {
        Root(Widget).Required.Should().Equal("spec");
        Root(CrdTranspiler.Transpile(typeof(V1ClusterThing))).Required.Should().Equal("spec");
        Root(CrdTranspiler.Transpile(typeof(V1Gadget))).Required.Should().BeNull();
    }

    [Test]
    public void Properties_Are_Sorted_Ordinally_By_Json_Name_Without_Ignored_Ones()
    {
        var names = WidgetSpec.Properties.Keys.ToList();
        names.Should().BeInAscendingOrder(StringComparer.Ordinal);
        names.First().Should().Be("Zeta", "upper case sorts before lower case ordinally and [JsonPropertyName] is honoured");
        names.Should().Contain(["name", "size", "partsByName"]).And.NotContain(["hidden", "notSerialized", "upperCaseName"]);
    }

    [TestCase("name", "string", null)]
    [TestCase("size", "integer", "int32")]
    [TestCase("count", "integer", "int64")]
    [TestCase("ratio", "number", "double")]
    [TestCase("scale", "number", "float")]
    [TestCase("price", "number", null)]
    [TestCase("enabled", "boolean", null)]
    [TestCase("created", "string", "date-time")]
    [TestCase("expires", "string", "date-time")]
    [TestCase("id", "string", "uuid")]
    [TestCase("color", "string", null)]
    [TestCase("tags", "array", null)]
    [TestCase("limits", "object", null)]
    public void Maps_Each_Clr_Type_To_Its_Schema_Type(string property, string type, string? format)
    {
        var schema = WidgetSpec.Properties[property];
        schema.Type.Should().Be(type);
        schema.Format.Should().Be(format);
    }

    [Test]
    public void Enums_List_Their_Member_Names_Honouring_JsonStringEnumMemberName()
    {
        WidgetSpec.Properties["color"].EnumProperty.Should().Equal("Red", "dark-blue");
    }

    [Test]
    public void Lists_Arrays_And_Dictionaries_Map_Their_Element_Types()
    {
        var spec = WidgetSpec;
        ((V1JSONSchemaProps)spec.Properties["tags"].Items).Type.Should().Be("string");
        ((V1JSONSchemaProps)spec.Properties["limits"].AdditionalProperties).Type.Should().Be("integer");
        var part = (V1JSONSchemaProps)spec.Properties["partsByName"].AdditionalProperties;
        part.Type.Should().Be("object");
        part.Properties.Keys.Should().Equal("kind", "weight");
        part.Required.Should().Equal("kind");
        part.Description.Should().Be("A part of a widget.");
        var items = (V1JSONSchemaProps)spec.Properties["parts"].Items;
        spec.Properties["parts"].Type.Should().Be("array");
        items.Properties.Keys.Should().Equal("kind", "weight");
    }

    [Test]
    public void Kubernetes_Special_Types_Map_As_The_Api_Server_Expects()
    {
        var spec = WidgetSpec;
        spec.Properties["port"].XKubernetesIntOrString.Should().BeTrue();
        spec.Properties["port"].Type.Should().BeNull("int-or-string fields carry no type in a structural schema");
        spec.Properties["memory"].XKubernetesIntOrString.Should().BeTrue();
        spec.Properties["anything"].XKubernetesPreserveUnknownFields.Should().BeTrue();
        spec.Properties["anything"].Type.Should().BeNull();
        var template = spec.Properties["template"];
        template.Type.Should().Be("object");
        template.XKubernetesEmbeddedResource.Should().BeTrue();
        template.XKubernetesPreserveUnknownFields.Should().BeTrue();
    }

    [Test]
    public void Conditions_Are_A_List_Of_Objects_With_The_Condition_Fields()
    {
        var conditions = Root(Widget).Properties["status"].Properties["conditions"];
        conditions.Type.Should().Be("array");
        var condition = (V1JSONSchemaProps)conditions.Items;
        condition.Type.Should().Be("object");
        condition.Properties.Keys.Should().Equal("lastTransitionTime", "message", "observedGeneration", "reason", "status", "type");
        condition.Properties["lastTransitionTime"].Format.Should().Be("date-time");
        condition.Properties["observedGeneration"].Type.Should().Be("integer");
    }

    [Test]
    public void Nullable_Is_Emitted_Only_As_True_For_Optional_Nullable_Properties()
    {
        var spec = WidgetSpec;
        spec.Properties["count"].Nullable.Should().BeTrue("long? is Nullable<T>");
        spec.Properties["partsByName"].Nullable.Should().BeTrue("the reference is annotated nullable");
        spec.Properties["size"].Nullable.Should().BeNull();
        spec.Properties["tags"].Nullable.Should().BeNull();
        spec.Properties["name"].Nullable.Should().BeNull("a required field is never written as null");
        AllSchemas(Root(Widget)).Should().NotContain(s => s.Nullable == false);
    }

    [Test]
    public void Property_Attributes_Become_Schema_Constraints()
    {
        var spec = WidgetSpec;
        var name = spec.Properties["name"];
        name.Description.Should().Be("The widget's name.");
        name.Pattern.Should().Be("^[a-z]+$");
        name.MinLength.Should().Be(1);
        name.MaxLength.Should().Be(63);
        spec.Required.Should().Equal("name");

        var size = spec.Properties["size"];
        size.Minimum.Should().Be(1);
        size.ExclusiveMinimum.Should().BeNull();
        size.Maximum.Should().Be(10);
        size.ExclusiveMaximum.Should().BeTrue();

        var tags = spec.Properties["tags"];
        tags.MinItems.Should().Be(1);
        tags.MaxItems.Should().Be(3);
        tags.Pattern.Should().BeNull();
        ((V1JSONSchemaProps)tags.Items).Pattern.Should().Be("^[a-z]+$", "string constraints on a list of strings apply to its items");

        spec.Properties["choice"].EnumProperty.Should().Equal("a", "b");
    }

    [Test]
    public void System_ComponentModel_Description_And_Required_Are_Not_Read()
    {
        var spec = Root(CrdTranspiler.Transpile(typeof(V1Gadget))).Properties["spec"];
        spec.Properties["label"].Description.Should().BeNull();
        spec.Required.Should().BeNull();
    }

    [Test]
    public void PreserveUnknownFields_And_ValidationRules_Are_Emitted()
    {
        var open = WidgetSpec.Properties["open"];
        open.XKubernetesPreserveUnknownFields.Should().BeTrue();
        open.Properties.Keys.Should().Equal("kind", "weight");
        var rule = open.XKubernetesValidations.Should().ContainSingle().Subject;
        rule.Rule.Should().Be("has(self.kind)");
        rule.Reason.Should().Be("FieldValueRequired");
        var root = Root(Widget).XKubernetesValidations.Should().ContainSingle().Subject;
        root.Rule.Should().Be("self.metadata.name.size() <= 63");
        root.Message.Should().Be("name too long");
    }

    [Test]
    public void A_Class_With_Json_Extension_Data_Keeps_Unknown_Fields()
    {
        var spec = Root(CrdTranspiler.Transpile(typeof(V1Open))).Properties["spec"];
        spec.Properties.Keys.Should().Equal("known");
        spec.XKubernetesPreserveUnknownFields.Should().BeTrue();
        WidgetSpec.XKubernetesPreserveUnknownFields.Should().BeNull();
    }

    [Test]
    public void Printer_Columns_Come_From_Properties_Then_From_The_Class()
    {
        var columns = Widget.Spec.Versions[0].AdditionalPrinterColumns;
        columns.Select(c => (c.Name, c.JsonPath, c.Type, c.Priority)).Should().Equal(
            ("Name", ".spec.name", "string", null),
            ("Size", ".spec.size", "integer", 1),
            ("Ready", ".status.ready", "boolean", null),
            ("Phase", ".status.phase", "string", null),
            ("Age", ".metadata.creationTimestamp", "date", 1));
        columns[0].Description.Should().Be("The widget's name.");
        columns[4].Description.Should().Be("Time since creation");
    }

    [Test]
    public void A_Recursive_Type_Is_Refused_Unless_The_Recursion_Is_Preserved()
    {
        var act = () => CrdTranspiler.Transpile(typeof(V1Chain));
        act.Should().Throw<TranspilationException>().WithMessage("*ChainLink*recursive*[PreserveUnknownFields]*");

        var next = Root(CrdTranspiler.Transpile(typeof(V1CutChain))).Properties["spec"].Properties["next"];
        next.Type.Should().Be("object");
        next.XKubernetesPreserveUnknownFields.Should().BeTrue();
    }

    [Test]
    public void Attributes_On_The_Wrong_Type_Are_Refused_Naming_The_Property()
    {
        FluentActions.Invoking(() => CrdTranspiler.Transpile(typeof(V1BadPattern)))
            .Should().Throw<TranspilationException>().WithMessage("*BadSpec.Number*[Pattern]*strings*integer*");
        FluentActions.Invoking(() => CrdTranspiler.Transpile(typeof(V1BadItems)))
            .Should().Throw<TranspilationException>().WithMessage("*BadSpec.Text*[Items]*arrays*string*");
    }

    [Test]
    public void A_Printer_Column_Of_An_Unknown_Type_Is_Refused()
    {
        FluentActions.Invoking(() => CrdTranspiler.Transpile(typeof(V1BadColumn)))
            .Should().Throw<TranspilationException>().WithMessage("*V1BadColumn*Label*\"text\"*string, integer, number, boolean, date*");
    }

    [Test]
    public void An_Entity_Without_A_Domain_Group_Is_Refused()
    {
        FluentActions.Invoking(() => CrdTranspiler.Transpile(typeof(V1CoreThing)))
            .Should().Throw<TranspilationException>().WithMessage("*V1CoreThing*group*");
    }

    [Test]
    public void Finds_The_Non_Ignored_Entities_Of_An_Assembly_In_Crd_Name_Order()
    {
        var types = CrdTranspiler.FindEntityTypes(typeof(V1Widget).Assembly);
        types.Should().Contain([typeof(V1Widget), typeof(V1Gadget), typeof(V1ClusterThing)]);
        types.Should().NotContain([typeof(V1IgnoredEntity), typeof(V1Chain), typeof(V1CoreThing)]);
        types.Select(t => CrdTranspiler.Transpile(t).Metadata.Name).Should().BeInAscendingOrder(StringComparer.Ordinal);
    }

    [Test]
    public void Two_Types_For_One_Crd_Are_Refused()
    {
        FluentActions.Invoking(() => CrdTranspiler.Transpile([typeof(V1Widget), typeof(V1Widget)]))
            .Should().Throw<TranspilationException>().WithMessage("*widgets.testing.lboperator.io*2 entity types*");
    }

    private static IEnumerable<V1JSONSchemaProps> AllSchemas(V1JSONSchemaProps schema) =>
        new[] { schema }
            .Concat((schema.Properties?.Values ?? []).SelectMany(AllSchemas))
            .Concat(schema.Items is V1JSONSchemaProps items ? AllSchemas(items) : [])
            .Concat(schema.AdditionalProperties is V1JSONSchemaProps values ? AllSchemas(values) : []);
}
