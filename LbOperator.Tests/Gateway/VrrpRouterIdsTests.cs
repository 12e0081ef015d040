using LbOperator.Gateway;

namespace LbOperator.Tests.Gateway;

[Category("Unit")]
public sealed class VrrpRouterIdsTests
{
    private static readonly DateTimeOffset Old = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset New = Old.AddDays(1);

    [Test]
    public void A_New_Gateway_Takes_The_Lowest_Id_No_One_Uses()
    {
        var claims = new[] { new RouterIdClaim("a", new VrrpRouterId(1), Old), new RouterIdClaim("b", new VrrpRouterId(3), Old) };

        VrrpRouterIds.Choose("c", [new VrrpRouterId(2)], claims).Should().Be(new VrrpRouterId(4));
        VrrpRouterIds.Choose("c", [], claims).Should().Be(new VrrpRouterId(2));
    }

    [Test]
    public void A_Gateway_Keeps_Its_Id_Unless_An_Older_One_Claims_It_Too()
    {
        var mine = new RouterIdClaim("mine", new VrrpRouterId(9), New);

        VrrpRouterIds.Choose("mine", [], [mine]).Should().Be(new VrrpRouterId(9));
        VrrpRouterIds.Choose("mine", [], [mine, new RouterIdClaim("newer", new VrrpRouterId(9), New.AddDays(1))]).Should().Be(new VrrpRouterId(9));
        VrrpRouterIds.Choose("mine", [], [mine, new RouterIdClaim("older", new VrrpRouterId(9), Old)]).Should().Be(new VrrpRouterId(1));
        VrrpRouterIds.Choose("mine", [new VrrpRouterId(9)], [mine]).Should().Be(new VrrpRouterId(1), "an id chosen for another Service in this process wins");
    }

    [Test]
    public void All_255_Taken_Gives_None()
    {
        var claims = Enumerable.Range(1, 255).Select(i => new RouterIdClaim($"s{i}", new VrrpRouterId(i), Old)).ToList();

        VrrpRouterIds.Choose("late", [], claims).Should().BeNull();
    }

    [TestCase("0")]
    [TestCase("256")]
    [TestCase("07")]
    [TestCase(" 7")]
    [TestCase("x")]
    [TestCase(null)]
    public void Only_A_Plain_Number_From_1_To_255_Reads_As_An_Id(string? text) => VrrpRouterId.Parse(text).Should().BeNull();

    [Test]
    public void Ids_Read_Back_As_Written() => VrrpRouterId.Parse("255").Should().Be(new VrrpRouterId(255));
}
