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

    private static LbOperator.Entities.V1Subnet Reserved(string name, DateTime? created = null, params string[] namespaces)
    {
        var subnet = TestObjects.Subnet(name, created: created);
        subnet.Spec.Namespaces = namespaces;
        return subnet;
    }

    [Test]
    public void A_Named_Subnet_Reserved_For_Other_Namespaces_Is_Refused()
    {
        var service = TestObjects.Service(TestObjects.ProviderAnnotations((SwitchKey, "tenant-a")));
        var result = SubnetSelector.Select(service, Provider, [Reserved("tenant-a", null, "team-a", "team-b")]);
        result.IsSuccess.Should().BeFalse();
        result.Reason.Should().Be(EventReasons.SubnetNotAllowed);
        result.Error.Should().StartWith("Service default/test-service: ")
            .And.Contain("spec.namespaces").And.Contain("team-a, team-b").And.Contain("namespace default");
    }

    [Test]
    public void A_Named_Subnet_Listing_The_Namespace_Is_Chosen() =>
        SubnetSelector.Select(TestObjects.Service(TestObjects.ProviderAnnotations((SwitchKey, "tenant"))), Provider,
                [Reserved("tenant", null, "team-a", "default")])
            .GetValueOrThrow().Metadata.Name.Should().Be("tenant");

    [Test]
    public void Without_The_Annotation_Subnets_Reserved_For_Others_Are_Skipped()
    {
        var older = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var subnets = new[] { Reserved("old-reserved", older, "team-a"), TestObjects.Subnet("open", created: older.AddDays(1)) };
        SubnetSelector.Select(TestObjects.Service(), Provider, subnets).GetValueOrThrow().Metadata.Name.Should().Be("open");
    }

    [Test]
    public void Without_The_Annotation_A_Subnet_Bound_To_The_Namespace_Comes_First()
    {
        var older = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var subnets = new[] { TestObjects.Subnet("old-open", created: older), Reserved("bound", older.AddDays(1), "default") };
        SubnetSelector.Select(TestObjects.Service(), Provider, subnets).GetValueOrThrow().Metadata.Name.Should().Be("bound");
    }

    [Test]
    public void When_Every_Subnet_Of_The_Provider_Is_Reserved_For_Others_The_Service_Is_Refused()
    {
        var result = SubnetSelector.Select(TestObjects.Service(), Provider, [Reserved("a", null, "team-a"), Reserved("b", null, "team-b")]);
        result.Reason.Should().Be(EventReasons.SubnetNotAllowed);
        result.Error.Should().Contain("a (team-a)").And.Contain("b (team-b)").And.Contain("namespace default");
    }

    [Test]
    public void Namespace_Selectors_Are_Not_Evaluated_So_They_Reserve_The_Subnet_For_Its_Listed_Namespaces_Only()
    {
        var subnet = TestObjects.Subnet("selected");
        subnet.Spec.NamespaceSelectors = [new k8s.Models.V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["team"] = "a" } }];
        var result = SubnetSelector.Select(TestObjects.Service(TestObjects.ProviderAnnotations((SwitchKey, "selected"))), Provider, [subnet]);
        result.Reason.Should().Be(EventReasons.SubnetNotAllowed);
        result.Error.Should().Contain("spec.namespaceSelectors");
        subnet.Spec.Namespaces = ["default"];
        SubnetSelector.Select(TestObjects.Service(), Provider, [subnet]).IsSuccess.Should().BeTrue();
    }
}
