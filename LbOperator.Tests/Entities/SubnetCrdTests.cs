using System.Text.RegularExpressions;
using k8s.Models;
using LbOperator.Entities;
using LbOperator.Framework.Transpilation;

namespace LbOperator.Tests.Entities;

[Category("Unit")]
public sealed class SubnetCrdTests
{
    private static readonly V1CustomResourceDefinition Crd = CrdTranspiler.Transpile(typeof(V1Subnet));

    private static V1JSONSchemaProps Spec => Crd.Spec.Versions[0].Schema.OpenAPIV3Schema.Properties["spec"];

    private static Regex Pattern(string field) => new(
        Spec.Properties[field] is { Type: "array" } list ? ((V1JSONSchemaProps)list.Items).Pattern : Spec.Properties[field].Pattern,
        RegexOptions.None,
        TimeSpan.FromSeconds(1));

    [Test]
    public void Is_Kube_Ovns_Cluster_Scoped_Subnet_Crd()
    {
        Crd.Metadata.Name.Should().Be("subnets.kubeovn.io");
        Crd.Spec.Scope.Should().Be("Cluster");
        Crd.Spec.Names.ShortNames.Should().Equal("subnet");
        Crd.Spec.Versions.Should().ContainSingle().Which.Name.Should().Be("v1");
        Crd.Spec.Versions[0].Subresources.Status.Should().NotBeNull();
    }

    [Test]
    public void Printer_Columns_Are_Kube_Ovns_In_Kube_Ovns_Order()
    {
        Crd.Spec.Versions[0].AdditionalPrinterColumns.Select(c => $"{c.Name} {c.Type} {c.JsonPath}").Should().Equal(
            "Provider string .spec.provider",
            "Vpc string .spec.vpc",
            "Vlan string .spec.vlan",
            "Protocol string .spec.protocol",
            "CIDR string .spec.cidrBlock",
            "Private boolean .spec.private",
            "NAT boolean .spec.natOutgoing",
            "Default boolean .spec.default",
            "GatewayType string .spec.gatewayType",
            "V4Used number .status.v4usingIPs",
            "V4Available number .status.v4availableIPs",
            "V6Used number .status.v6usingIPs",
            "V6Available number .status.v6availableIPs",
            "ExcludeIPs string .spec.excludeIps");
    }

    [Test]
    public void Every_Column_Path_Exists_In_The_Schema()
    {
        var root = Crd.Spec.Versions[0].Schema.OpenAPIV3Schema;
        foreach (var column in Crd.Spec.Versions[0].AdditionalPrinterColumns)
        {
            var parts = column.JsonPath.TrimStart('.').Split('.');
            root.Properties[parts[0]].Properties.Should().ContainKey(parts[1], column.Name);
        }
    }

    [Test]
    public void Spec_Keeps_Fields_It_Does_Not_Declare_And_Requires_A_Cidr_Block()
    {
        Spec.XKubernetesPreserveUnknownFields.Should().BeTrue();
        Spec.Required.Should().Equal("cidrBlock");
        Crd.Spec.Versions[0].Schema.OpenAPIV3Schema.Required.Should().Equal("spec");
        Spec.Properties["protocol"].EnumProperty.Should().BeEquivalentTo(new[] { "", "IPv4", "IPv6", "Dual" });
    }

    [Test]
    public void Undeclared_Spec_Fields_Survive_The_Clients_Round_Trip()
    {
        // What the operator's full update (e.g. adding its finalizer) sends back is what it read.
        const string json = """{"apiVersion":"kubeovn.io/v1","kind":"Subnet","metadata":{"name":"s"},"spec":{"cidrBlock":"10.0.0.0/24","futureField":{"nested":["kept"]},"futureFlag":true}}""";
        var subnet = k8s.KubernetesJson.Deserialize<V1Subnet>(json);
        var written = System.Text.Json.Nodes.JsonNode.Parse(k8s.KubernetesJson.Serialize(subnet))!["spec"]!;
        written["futureField"]!["nested"]![0]!.GetValue<string>().Should().Be("kept");
        written["futureFlag"]!.GetValue<bool>().Should().BeTrue();
        written["cidrBlock"]!.GetValue<string>().Should().Be("10.0.0.0/24");
        Spec.Properties.Keys.Should().NotContain(k => k.Contains("ndeclared", StringComparison.Ordinal));
    }

    [TestCase("172.18.0.0/16")]
    [TestCase("10.0.0.5/24")]
    [TestCase("10.16.0.0/16,fd00:10:16::/64")]
    [TestCase("fd00::/64")]
    [TestCase("2001:db8:0:0:0:0:0:0/32")]
    [TestCase("::ffff:10.0.0.0/120")]
    [TestCase("fd00:10:16::/64,10.16.0.0/16")]
    public void CidrBlock_Pattern_Accepts_Every_Written_Form(string value) =>
        Pattern("cidrBlock").IsMatch(value).Should().BeTrue();

    [TestCase("")]
    [TestCase("172.18.0.0")]
    [TestCase("172.18.0.0/16,")]
    [TestCase("subnet-a")]
    [TestCase("10.0.0.0/24;fd00::/64")]
    [TestCase("10.0.0.0/24,fd00::/64,10.1.0.0/24")]
    [TestCase("10.0.0.0/24 ")]
    [TestCase("10.0.0/24")]
    [TestCase("FD00:AB::/64")]
    public void CidrBlock_Pattern_Rejects_Malformed_Text(string value) =>
        Pattern("cidrBlock").IsMatch(value).Should().BeFalse();

    [TestCase("")]
    [TestCase("172.18.0.1")]
    [TestCase("10.16.0.1,fd00:10:16::1")]
    [TestCase("fe80::1")]
    [TestCase("::")]
    [TestCase("1:2:3:4:5:6:7::")]
    public void Gateway_Pattern_Accepts_Addresses_Per_Family(string value) =>
        Pattern("gateway").IsMatch(value).Should().BeTrue();

    [TestCase("172.18.0.1/16")]
    [TestCase("router")]
    [TestCase("172.18.0.1,")]
    [TestCase("1:2:3:4:5:6:7:8:9:10")]
    [TestCase("FD00::1")]
    [TestCase("10.0.0.1,fd00::A")]
    public void Gateway_Pattern_Rejects_Malformed_Text(string value) =>
        Pattern("gateway").IsMatch(value).Should().BeFalse();

    [TestCase("172.18.0.0..172.18.0.10")]
    [TestCase("172.18.0.1")]
    [TestCase("fd00::1..fd00::ff")]
    [TestCase("fd00::a")]
    public void ExcludeIps_Pattern_Accepts_Addresses_And_Ranges(string value) =>
        Pattern("excludeIps").IsMatch(value).Should().BeTrue();

    [TestCase("FD00::A")]
    [TestCase("172.18.0.1...172.18.0.5")]
    [TestCase("172.18.0.1..")]
    [TestCase("172.18.0.1-172.18.0.5")]
    [TestCase("172.18.0.0/24")]
    [TestCase(" 172.18.0.1")]
    public void ExcludeIps_Pattern_Rejects_What_Kube_Ovn_Rejects(string value) =>
        Pattern("excludeIps").IsMatch(value).Should().BeFalse();

    [Test]
    public void The_Seed_Subnet_Matches_Every_Pattern()
    {
        var subnet = LbOperator.Cli.EntityYaml.Deserialize<V1Subnet>(File.ReadAllText(Path.Combine(Testing.RepositoryRoot.Path, "examples", "subnet.yaml")));
        Pattern("cidrBlock").IsMatch(subnet.Spec.CidrBlock!).Should().BeTrue();
        Pattern("gateway").IsMatch(subnet.Spec.Gateway!).Should().BeTrue();
        subnet.Spec.ExcludeIps.Should().OnlyContain(e => Pattern("excludeIps").IsMatch(e));
        Spec.Properties["protocol"].EnumProperty.Should().Contain(subnet.Spec.Protocol);
    }
}
