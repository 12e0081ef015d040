using k8s.Models;
using LbOperator.Controllers;

namespace LbOperator.Tests.Controllers;

[Category("Unit")]
public sealed class ServiceStateTests
{
    [Test]
    public void A_Service_Without_A_Condition_Is_Pending_Not_Reconciled() =>
        ServiceState.Of(new V1Service()).Should().Be(new ServiceState("pending", "NotReconciled"));

    [TestCase("True", "GatewayReady", "ready", "GatewayReady")]
    [TestCase("False", "GatewayPending", "pending", "GatewayPending")]
    [TestCase("False", "SubnetExhausted", "failed", "SubnetExhausted")]
    [TestCase("False", "AddressConflict", "failed", "AddressConflict")]
    [TestCase("False", "", "failed", "Unknown")]
    public void The_State_Follows_The_LoadBalancerReady_Condition(string status, string reason, string state, string expectedReason)
    {
        var service = new V1Service
        {
            Status = new V1ServiceStatus
            {
                Conditions =
                [
                    new V1Condition { Type = "SomethingElse", Status = "False", Reason = "Other" },
                    new V1Condition { Type = ServiceController.ConditionType, Status = status, Reason = reason },
                ],
            },
        };

        ServiceState.Of(service).Should().Be(new ServiceState(state, expectedReason));
    }
}
