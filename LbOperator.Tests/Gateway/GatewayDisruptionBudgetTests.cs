using System.Net;
using k8s.Models;
using LbOperator.Gateway;
using LbOperator.Tests.LoadBalancing;

namespace LbOperator.Tests.Gateway;

[Category("Unit")]
public sealed class GatewayDisruptionBudgetTests
{
    private static V1Deployment Gateway()
    {
        var service = TestObjects.Service();
        var plan = TestObjects.Plan(service, TestObjects.Definition()) with { GatewayReplicas = 2 };
        return GatewayBuilder.Build(service, plan, [IPAddress.Parse("172.18.0.18")], new GatewaySettings(), new VrrpRouterId(1));
    }

    [Test]
    public void The_Budget_Lets_One_Gateway_Pod_Go_At_A_Time_And_Belongs_To_The_Service()
    {
        var gateway = Gateway();
        var budget = GatewayDisruptionBudget.Build(gateway);

        budget.Metadata.Name.Should().Be("lb-svc-test-service");
        budget.Metadata.NamespaceProperty.Should().Be("default");
        budget.Spec.MaxUnavailable.Value.Should().Be("1");
        budget.Spec.MinAvailable.Should().BeNull();
        budget.Spec.Selector.MatchLabels.Should().Equal(gateway.Spec.Selector.MatchLabels);
        budget.Metadata.Labels.Should().Contain(GatewayBuilder.ManagedByLabel, GatewayBuilder.ManagedBy);
        GatewayOwnership.IsControlledBy(budget.Metadata, TestObjects.Service()).Should().BeTrue();
        GatewayDisruptionBudget.Differences(budget, GatewayDisruptionBudget.Build(gateway)).Should().BeEmpty();
    }

    [Test]
    public void An_Edited_Budget_Is_Told_Apart()
    {
        var desired = GatewayDisruptionBudget.Build(Gateway());
        var loosened = GatewayDisruptionBudget.Build(Gateway());
        loosened.Spec.MaxUnavailable = 2;
        var widened = GatewayDisruptionBudget.Build(Gateway());
        widened.Spec.Selector.MatchLabels["extra"] = "x";
        var flipped = GatewayDisruptionBudget.Build(Gateway());
        flipped.Spec.MinAvailable = 0;

        GatewayDisruptionBudget.Differences(loosened, desired).Should().Equal("spec.maxUnavailable");
        GatewayDisruptionBudget.Differences(widened, desired).Should().Equal("spec.selector");
        GatewayDisruptionBudget.Differences(flipped, desired).Should().Contain("spec.maxUnavailable");
    }
}
