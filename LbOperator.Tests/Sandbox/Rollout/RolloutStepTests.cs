using System.Text.Json.Nodes;
using LbOperator.Sandbox.Controllers.Rollout;

namespace LbOperator.Tests.Sandbox.Rollout;

[Category("Unit")]
public sealed class RolloutStepTests
{
    private static Fenceposts Resolve(string surge, string unavailable, long desired) =>
        Fenceposts.Resolve(Parse(surge), Parse(unavailable), desired);

    private static IntOrPercent Parse(string text)
    {
        JsonNode node = text.EndsWith('%') ? JsonValue.Create(text) : JsonValue.Create(long.Parse(text, System.Globalization.CultureInfo.InvariantCulture));
        IntOrPercent.TryParse(node, out var value).Should().BeTrue();
        return value;
    }

    [TestCase("25%", "25%", 2, 1, 0)]
    [TestCase("25%", "25%", 4, 1, 1)]
    [TestCase("25%", "25%", 10, 3, 2)]
    [TestCase("50%", "50%", 3, 2, 1)]
    [TestCase("1", "0", 2, 1, 0)]
    [TestCase("0", "2", 5, 0, 2)]
    [TestCase("0%", "10%", 5, 0, 1)]
    [TestCase("0", "25%", 1, 0, 1)]
    public void Percents_Round_Surge_Up_And_Unavailable_Down(string surge, string unavailable, long desired, long expectedSurge, long expectedUnavailable) =>
        Resolve(surge, unavailable, desired).Should().Be(new Fenceposts(expectedSurge, expectedUnavailable));

    [Test]
    public void Only_Numbers_And_Percent_Strings_Parse()
    {
        IntOrPercent.TryParse(JsonValue.Create("25%"), out var percent).Should().BeTrue();
        percent.Should().Be(IntOrPercent.Percent(25));
        IntOrPercent.TryParse(JsonValue.Create(3), out var count).Should().BeTrue();
        count.Should().Be(IntOrPercent.Count(3));
        IntOrPercent.TryParse(JsonValue.Create("25"), out _).Should().BeFalse();
        IntOrPercent.TryParse(JsonValue.Create("-5%"), out _).Should().BeFalse();
        IntOrPercent.TryParse(JsonValue.Create("%"), out _).Should().BeFalse();
        IntOrPercent.TryParse(null, out _).Should().BeFalse();
    }

    [Test]
    public void Surge_One_Unavailable_Zero_Adds_One_New_Pod_Before_Removing_An_Old_One()
    {
        var fence = new Fenceposts(1, 0);
        var olds = new List<ReplicaSetCounts> { new("old", 2, 2) };

        RolloutStep.InitialReplicas(2, fence, olds).Should().Be(1);
        // Surge used up, new pod not available: nothing may go.
        RolloutStep.RollingUpdate(2, fence, new ReplicaSetCounts("new", 1, 0), olds).Should().BeEmpty();
        // The new pod is available: one old pod may go.
        RolloutStep.RollingUpdate(2, fence, new ReplicaSetCounts("new", 1, 1), olds).Should().Equal(new ReplicaSetScale("old", 2, 1));
        // Room again: the new ReplicaSet grows.
        RolloutStep.RollingUpdate(2, fence, new ReplicaSetCounts("new", 1, 1), [new("old", 1, 1)]).Should().Equal(new ReplicaSetScale("new", 1, 2));
        RolloutStep.RollingUpdate(2, fence, new ReplicaSetCounts("new", 2, 1), [new("old", 1, 1)]).Should().BeEmpty();
        RolloutStep.RollingUpdate(2, fence, new ReplicaSetCounts("new", 2, 2), [new("old", 1, 1)]).Should().Equal(new ReplicaSetScale("old", 1, 0));
        RolloutStep.RollingUpdate(2, fence, new ReplicaSetCounts("new", 2, 2), [new("old", 0, 0)]).Should().BeEmpty();
    }

    [Test]
    public void Surge_Zero_Removes_Old_Pods_Within_The_Unavailable_Allowance_First()
    {
        var fence = new Fenceposts(0, 1);
        var olds = new List<ReplicaSetCounts> { new("old", 3, 3) };

        RolloutStep.InitialReplicas(3, fence, olds).Should().Be(0);
        RolloutStep.RollingUpdate(3, fence, new ReplicaSetCounts("new", 0, 0), olds).Should().Equal(new ReplicaSetScale("old", 3, 2));
        RolloutStep.RollingUpdate(3, fence, new ReplicaSetCounts("new", 0, 0), [new("old", 2, 2)]).Should().Equal(new ReplicaSetScale("new", 0, 1));
    }

    [Test]
    public void Unavailable_Old_Pods_Are_Removed_Before_Available_Ones_And_Oldest_ReplicaSet_First()
    {
        var fence = new Fenceposts(1, 0);
        // Two old generations, one pod of the oldest not available; the new ReplicaSet is at full surge.
        var olds = new List<ReplicaSetCounts> { new("oldest", 2, 1), new("older", 1, 1) };
        var step = RolloutStep.RollingUpdate(3, fence, new ReplicaSetCounts("new", 1, 1), olds);
        // Available 3 = minAvailable 3: only the unavailable pod may go.
        step.Should().Equal(new ReplicaSetScale("oldest", 2, 1));
    }

    [Test]
    public void A_Scale_Down_Of_The_Deployment_Shrinks_The_New_ReplicaSet_At_Once() =>
        RolloutStep.RollingUpdate(1, new Fenceposts(1, 0), new ReplicaSetCounts("new", 3, 3), []).Should().Equal(new ReplicaSetScale("new", 3, 1));

    [Test]
    public void Recreate_Scales_Old_Down_Then_Waits_For_Their_Pods_Then_Scales_New_Up()
    {
        var current = new ReplicaSetCounts("new", 0, 0);
        RolloutStep.Recreate(2, current, [new("old", 2, 2), new("gone", 0, 0)], oldPodsLeft: true).Should().Equal(new ReplicaSetScale("old", 2, 0));
        RolloutStep.Recreate(2, current, [new("old", 0, 0)], oldPodsLeft: true).Should().BeEmpty();
        RolloutStep.Recreate(2, current, [new("old", 0, 0)], oldPodsLeft: false).Should().Equal(new ReplicaSetScale("new", 0, 2));
        RolloutStep.Recreate(2, new ReplicaSetCounts("new", 2, 2), [new("old", 0, 0)], oldPodsLeft: false).Should().BeEmpty();
    }
}
