using System.Text.Json.Nodes;
using LbOperator.Sandbox.Controllers.Rollout;

namespace LbOperator.Tests.Sandbox.Rollout;

[Category("Unit")]
public sealed class DisruptionBudgetTests
{
    private static JsonObject Pod(string name, bool ready, bool deleting = false)
    {
        var pod = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name },
            ["status"] = new JsonObject { ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = ready ? "True" : "False" }) },
        };
        if (deleting)
        {
            pod["metadata"]!["deletionTimestamp"] = "2026-01-01T00:00:00Z";
        }

        return pod;
    }

    private static readonly List<JsonObject> ThreePodsTwoReady = [Pod("a", true), Pod("b", true), Pod("c", false)];

    private static ControllerScale? OfFour(JsonObject pod) => new("deployment-uid", 4);

    [Test]
    public void MinAvailable_Count_Compares_With_The_Selected_Pods() =>
        DisruptionBudget.Compute(new JsonObject { ["minAvailable"] = 1 }, ThreePodsTwoReady, OfFour)
            .Should().Be(new DisruptionCounts(ExpectedPods: 3, CurrentHealthy: 2, DesiredHealthy: 1, DisruptionsAllowed: 1));

    [Test]
    public void MinAvailable_Percent_Rounds_Up_Against_The_Controllers_Replicas() =>
        DisruptionBudget.Compute(new JsonObject { ["minAvailable"] = "30%" }, ThreePodsTwoReady, OfFour)
            .Should().Be(new DisruptionCounts(4, 2, 2, 0));

    [Test]
    public void MaxUnavailable_Percent_Rounds_Up_Against_The_Controllers_Replicas() =>
        DisruptionBudget.Compute(new JsonObject { ["maxUnavailable"] = "30%" }, ThreePodsTwoReady, OfFour)
            .Should().Be(new DisruptionCounts(4, 2, 2, 0));

    [Test]
    public void MaxUnavailable_Count_Allows_What_Is_Healthy_Beyond_The_Rest() =>
        DisruptionBudget.Compute(new JsonObject { ["maxUnavailable"] = 3 }, ThreePodsTwoReady, OfFour)
            .Should().Be(new DisruptionCounts(4, 2, 1, 1));

    [Test]
    public void Pods_Being_Deleted_Are_Not_Healthy() =>
        DisruptionBudget.Compute(new JsonObject { ["minAvailable"] = 1 }, [Pod("a", true, deleting: true), Pod("b", true)], OfFour)
            .Should().Be(new DisruptionCounts(2, 1, 1, 0));

    [Test]
    public void A_Pod_Without_A_Controller_Fails_Safe_When_One_Is_Needed()
    {
        var counts = DisruptionBudget.Compute(new JsonObject { ["maxUnavailable"] = 1 }, ThreePodsTwoReady, _ => null);
        counts.DisruptionsAllowed.Should().Be(0);
        counts.Failure.Should().Be("found no controllers for pod \"a\"");
        DisruptionBudget.Compute(new JsonObject { ["minAvailable"] = 1 }, ThreePodsTwoReady, _ => null).Failure.Should().BeNull();
    }

    [Test]
    public void No_Pods_Allow_No_Disruption() =>
        DisruptionBudget.Compute(new JsonObject { ["maxUnavailable"] = 1 }, [], OfFour).Should().Be(new DisruptionCounts(0, 0, 0, 0));
}
