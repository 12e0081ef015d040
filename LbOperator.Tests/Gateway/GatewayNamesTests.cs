using LbOperator.Gateway;

namespace LbOperator.Tests.Gateway;

[Category("Unit")]
public sealed class GatewayNamesTests
{
    [Test]
    public void Short_Names_Are_Kept() => GatewayNames.Deployment("test-service").Should().Be("lb-svc-test-service");

    [Test]
    public void A_Name_Of_Exactly_63_Characters_Is_Kept()
    {
        var service = new string('s', 56);
        GatewayNames.Deployment(service).Should().Be("lb-svc-" + service);
    }

    [Test]
    public void Longer_Names_Get_A_Hash_Suffix_And_Stay_Distinct()
    {
        var a = GatewayNames.Deployment(new string('s', 57));
        var b = GatewayNames.Deployment(new string('s', 56) + "t");

        a.Should().HaveLength(63).And.MatchRegex("^lb-svc-s+-[0-9a-f]{8}$");
        b.Should().HaveLength(63).And.NotBe(a);
    }

    [Test]
    public void A_Dash_Before_The_Hash_Is_Not_Doubled() =>
        GatewayNames.Shorten(new string('a', 53) + "-" + new string('b', 20)).Should().NotContain("--").And.MatchRegex("^a{53}-[0-9a-f]{8}$");
}
