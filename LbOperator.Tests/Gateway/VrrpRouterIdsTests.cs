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

        VrrpRouterIds.Choose("c", [new VrrpRouterId(2)], claims, VrrpRouterIds.All).Should().Be(new VrrpRouterId(4));
        VrrpRouterIds.Choose("c", [], claims, VrrpRouterIds.All).Should().Be(new VrrpRouterId(2));
    }

    [Test]
    public void A_Gateway_Keeps_Its_Id_Unless_An_Older_One_Claims_It_Too()
    {
        var mine = new RouterIdClaim("mine", new VrrpRouterId(9), New);

        VrrpRouterIds.Choose("mine", [], [mine], VrrpRouterIds.All).Should().Be(new VrrpRouterId(9));
        VrrpRouterIds.Choose("mine", [], [mine, new RouterIdClaim("newer", new VrrpRouterId(9), New.AddDays(1))], VrrpRouterIds.All).Should().Be(new VrrpRouterId(9));
        VrrpRouterIds.Choose("mine", [], [mine, new RouterIdClaim("older", new VrrpRouterId(9), Old)], VrrpRouterIds.All).Should().Be(new VrrpRouterId(1));
        VrrpRouterIds.Choose("mine", [new VrrpRouterId(9)], [mine], VrrpRouterIds.All).Should().Be(new VrrpRouterId(1), "an id chosen for another Service in this process wins");
        VrrpRouterIds.Choose("mine", [], [mine], VrrpRouterIds.Parse("100-110", out _)!).Should().Be(new VrrpRouterId(100), "an id no longer allowed is given up");
    }

    [Test]
    public void All_255_Taken_Gives_None()
    {
        var claims = Enumerable.Range(1, 255).Select(i => new RouterIdClaim($"s{i}", new VrrpRouterId(i), Old)).ToList();

        VrrpRouterIds.Choose("late", [], claims, VrrpRouterIds.All).Should().BeNull();
        VrrpRouterIds.Choose("late", [], claims.Take(3).ToList(), VrrpRouterIds.Parse("1-3", out _)!).Should().BeNull();
    }

    [TestCase("0")]
    [TestCase("256")]
    [TestCase("07")]
    [TestCase(" 7")]
    [TestCase("x")]
    [TestCase(null)]
    public void Only_A_Plain_Number_From_1_To_255_Reads_As_An_Id(string? text) => VrrpRouterId.Parse(text).Should().BeNull();

    [Test]
    public void Lists_And_Ranges_Of_Ids_Read_As_The_Operator_Takes_Them()
    {
        VrrpRouterIds.Parse("100-102,250", out var error)!.Select(i => i.Value).Should().Equal(100, 101, 102, 250);
        error.Should().BeNull();
        VrrpRouterIds.Parse("1-255", out _)!.Should().HaveCount(255);
        foreach (var bad in new[] { "", "0-10", "10-5", "1-2-3", "x", "250-256" })
        {
            VrrpRouterIds.Parse(bad, out error).Should().BeNull(bad);
            error.Should().Contain("router id");
        }
    }

    [Test]
    public void Ids_Read_Back_As_Written() => VrrpRouterId.Parse("255").Should().Be(new VrrpRouterId(255));
}
