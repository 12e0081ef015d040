using k8s.Models;
using LbOperator.Framework.Rbac;
using LbOperator.Framework.Transpilation;

namespace LbOperator.Tests.Framework.Transpilation;

[Category("Unit")]
public sealed class RbacTranspilerTests
{
    private static readonly string[] AllVerbs = ["get", "list", "watch", "create", "update", "patch", "delete"];

    // Classes that only carry attributes, as controllers do.
    [EntityRbac(typeof(V1Widget), Verbs = RbacVerb.All)]
    private sealed class WidgetController;

    [EntityRbac(typeof(V1Gadget), typeof(V1ClusterThing), Verbs = RbacVerb.Get | RbacVerb.List | RbacVerb.Watch)]
    private sealed class ReadOnlyController;

    [EntityRbac(typeof(V1ClusterThing), Verbs = RbacVerb.Patch)]
    private sealed class ThingPatcher;

    [EntityRbac(typeof(V1Service), typeof(V1Pod), Verbs = RbacVerb.Get | RbacVerb.List | RbacVerb.Watch)]
    [EntityRbac(typeof(V1Deployment), Verbs = RbacVerb.AllExplicit)]
    private sealed class CoreController;

    [GenericRbac(Groups = ["apps"], Resources = ["replicasets"], Verbs = RbacVerb.Get)]
    [GenericRbac(Urls = ["/metrics"], Verbs = RbacVerb.Get)]
    private sealed class GenericHolder;

    [EntityRbac(typeof(V1Widget), Verbs = RbacVerb.All)]
    private abstract class AbstractHolder;

    private static IReadOnlyList<V1PolicyRule> Rules(params Type[] holders) =>
        RbacTranspiler.Transpile(RbacTranspiler.FindRbacAttributes(holders));

    private static V1PolicyRule RuleFor(IReadOnlyList<V1PolicyRule> rules, string group, string resource) =>
        rules.Should().ContainSingle(r => r.ApiGroups != null && r.ApiGroups.Contains(group) && r.Resources.Contains(resource)).Subject;

    [Test]
    public void All_Becomes_The_Explicit_Verb_List_Never_A_Wildcard()
    {
        var rules = Rules(typeof(WidgetController));
        RuleFor(rules, "testing.lboperator.io", "widgets").Verbs.Should().Equal(AllVerbs);
        rules.SelectMany(r => r.Verbs.Concat(r.Resources ?? []).Concat(r.ApiGroups ?? [])).Should().NotContain("*");
    }

    [Test]
    public void Entities_With_The_Same_Group_And_Verbs_Share_One_Rule_With_Sorted_Resources()
    {
        var rules = Rules(typeof(CoreController));
        var core = RuleFor(rules, "", "services");
        core.Resources.Should().Equal("pods", "services");
        core.Verbs.Should().Equal("get", "list", "watch");
        RuleFor(rules, "apps", "deployments").Verbs.Should().Equal(AllVerbs);
    }

    [Test]
    public void Verbs_For_One_Entity_Are_Merged_Across_Attributes()
    {
        var rules = Rules(typeof(ReadOnlyController), typeof(ThingPatcher));
        RuleFor(rules, "testing.lboperator.io", "clusterthings").Verbs.Should().Equal("get", "list", "watch", "patch");
        RuleFor(rules, "testing.lboperator.io", "gadgets").Verbs.Should().Equal("get", "list", "watch");
    }

    [Test]
    public void Status_Access_Is_Granted_Only_To_Entities_With_A_Status_The_Operator_Writes()
    {
        Rules(typeof(WidgetController)).Should().Contain(r => r.Resources.Contains("widgets/status"));
        RuleFor(Rules(typeof(WidgetController)), "testing.lboperator.io", "widgets/status").Verbs.Should().Equal("get", "update", "patch");
        Rules(typeof(ReadOnlyController)).SelectMany(r => r.Resources ?? []).Should().NotContain("clusterthings/status", "read-only access needs no status writes");
        Rules(typeof(ThingPatcher)).SelectMany(r => r.Resources ?? []).Should().Contain("clusterthings/status");
        Rules(typeof(ReadOnlyController), typeof(ThingPatcher)).SelectMany(r => r.Resources ?? []).Should().NotContain("gadgets/status", "gadgets have no status");
    }

    [Test]
    public void Core_Events_Are_Always_Writable_With_Only_The_Verbs_The_Publisher_Uses()
    {
        var rules = Rules();
        rules.Should().ContainSingle();
        RuleFor(rules, "", "events").Verbs.Should().Equal("create", "patch");
        rules.Should().NotContain(r => r.ApiGroups.Contains("events.k8s.io"), "the publisher writes core/v1 Events only");
    }

    [Test]
    public void Leader_Election_Needs_Only_Its_Lease()
    {
        var rule = RbacTranspiler.LeaderElectionRules.Should().ContainSingle().Subject;
        rule.ApiGroups.Should().Equal("coordination.k8s.io");
        rule.Resources.Should().Equal("leases");
        rule.Verbs.Should().Equal("get", "create", "update");
    }

    [Test]
    public void Generic_Rules_Grant_Resources_And_Urls()
    {
        var rules = Rules(typeof(GenericHolder));
        RuleFor(rules, "apps", "replicasets").Verbs.Should().Equal("get");
        var urls = rules.Should().ContainSingle(r => r.NonResourceURLs != null).Subject;
        urls.NonResourceURLs.Should().Equal("/metrics");
        urls.Verbs.Should().Equal("get");
    }

    [Test]
    public void Rules_Are_Sorted_By_Api_Group()
    {
        var rules = Rules(typeof(WidgetController), typeof(CoreController), typeof(GenericHolder));
        rules.Where(r => r.ApiGroups != null).Select(r => r.ApiGroups[0]).Should().BeInAscendingOrder(StringComparer.Ordinal);
        rules[^1].NonResourceURLs.Should().NotBeNull("URL rules follow the resource rules");
    }

    [Test]
    public void Abstract_Classes_Are_Not_Searched()
    {
        RbacTranspiler.FindRbacAttributes([typeof(AbstractHolder)]).Should().BeEmpty();
        RbacTranspiler.FindRbacAttributes([typeof(CoreController)]).Should().HaveCount(2);
    }

    [Test]
    public void Wildcards_Are_Refused()
    {
        FluentActions.Invoking(() => RbacTranspiler.Transpile([new GenericRbacAttribute { Groups = ["*"], Resources = ["pods"], Verbs = RbacVerb.Get }]))
            .Should().Throw<TranspilationException>().WithMessage("*wildcard*");
        FluentActions.Invoking(() => RbacTranspiler.Transpile([new GenericRbacAttribute { Groups = [""], Resources = ["*"], Verbs = RbacVerb.Get }]))
            .Should().Throw<TranspilationException>().WithMessage("*wildcard*");
    }

    [Test]
    public void Grants_Without_Verbs_Or_Groups_Are_Refused()
    {
        FluentActions.Invoking(() => RbacTranspiler.Transpile([new EntityRbacAttribute(typeof(V1Pod))]))
            .Should().Throw<TranspilationException>().WithMessage("*V1Pod*no verbs*");
        FluentActions.Invoking(() => RbacTranspiler.Transpile([new GenericRbacAttribute { Resources = ["pods"], Verbs = RbacVerb.Get }]))
            .Should().Throw<TranspilationException>().WithMessage("*without API groups*Groups = [\"\"]*");
    }

    [TestCase(RbacVerb.Get, new[] { "get" })]
    [TestCase(RbacVerb.Delete | RbacVerb.Get, new[] { "get", "delete" })]
    [TestCase(RbacVerb.All, new[] { "get", "list", "watch", "create", "update", "patch", "delete" })]
    [TestCase(RbacVerb.AllExplicit | RbacVerb.Get, new[] { "get", "list", "watch", "create", "update", "patch", "delete" })]
    public void Verb_Flags_Map_To_Verb_Names_In_Kubectl_Order(RbacVerb verbs, string[] expected)
    {
        RbacTranspiler.Verbs(verbs).Should().Equal(expected);
    }
}
