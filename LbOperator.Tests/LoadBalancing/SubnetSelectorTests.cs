using LbOperator.LoadBalancing;

namespace LbOperator.Tests.LoadBalancing;

[Category("Unit")]
public sealed class SubnetSelectorTests
{
    private static readonly AttachmentProvider Provider = AttachmentProvider.Default;
    private const string SwitchKey = "lb-svc-attachment.kube-system.kubernetes.io/logical_switch";

    [Test]
    public void The_Logical_Switch_Annotation_Picks_The_Subnet()
    {
        var service = TestObjects.Service(TestObjects.ProviderAnnotations((SwitchKey, "second")));
        var chosen = SubnetSelector.Select(service, Provider, [TestObjects.Subnet("first"), TestObjects.Subnet("second")]);
        chosen.GetValueOrThrow().Metadata.Name.Should().Be("second");
    }

    [Test]
    public void A_Named_Subnet_That_Does_Not_Exist_Is_An_Error() =>
        SubnetSelector.Select(TestObjects.Service(TestObjects.ProviderAnnotations((SwitchKey, "nope"))), Provider, [TestObjects.Subnet()])
            .Error.Should().Be($"Service default/test-service: annotation {SwitchKey} names Subnet \"nope\", which does not exist");

    [Test]
    public void A_Named_Subnet_Of_Another_Provider_Is_An_Error() =>
        SubnetSelector.Select(TestObjects.Service(TestObjects.ProviderAnnotations((SwitchKey, "other"))), Provider,
                [TestObjects.Subnet("other", provider: "other-net.default")])
            .Error.Should().Contain("of provider \"other-net.default\"").And.Contain("spec.provider: lb-svc-attachment.kube-system");

    [TestCase(null)]
    [TestCase("ovn")]
    [TestCase("vpc1.ovn")]
    public void A_Named_Kube_Ovn_Subnet_Is_Refused(string? provider) =>
        SubnetSelector.Select(TestObjects.Service(TestObjects.ProviderAnnotations((SwitchKey, "ovn-default"))), Provider,
                [TestObjects.Subnet("ovn-default", provider: provider)])
            .Error.Should().Contain("is a Kube-OVN network");

    [Test]
    public void Without_The_Annotation_The_Oldest_Subnet_Of_The_Provider_Wins()
    {
        var older = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var subnets = new[]
        {
            TestObjects.Subnet("b-new", created: older.AddDays(1)),
            TestObjects.Subnet("z-old", created: older),
            TestObjects.Subnet("a-other", provider: "other.default", created: older.AddDays(-1)),
        };
        SubnetSelector.Select(TestObjects.Service(), Provider, subnets).GetValueOrThrow().Metadata.Name.Should().Be("z-old");
    }

    [Test]
    public void Subnets_Of_The_Same_Age_Are_Chosen_By_Name()
    {
        var created = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var subnets = new[] { TestObjects.Subnet("beta", created: created), TestObjects.Subnet("alpha", created: created) };
        SubnetSelector.Select(TestObjects.Service(), Provider, subnets).GetValueOrThrow().Metadata.Name.Should().Be("alpha");
        SubnetSelector.Select(TestObjects.Service(), Provider, subnets.Reverse()).GetValueOrThrow().Metadata.Name.Should().Be("alpha");
    }

    [Test]
    public void No_Matching_Subnet_Says_How_To_Fix_It() =>
        SubnetSelector.Select(TestObjects.Service(), Provider, [TestObjects.Subnet(provider: "other.default")])
            .Error.Should().Be($"Service default/test-service: no Subnet has spec.provider \"lb-svc-attachment.kube-system\"; create one, or name one with annotation {SwitchKey}");
}
