using k8s.Models;
using LbOperator.Gateway;

namespace LbOperator.Tests.Gateway;

[Category("Unit")]
public sealed class GatewayProgressTests
{
    private static V1Deployment With(params V1DeploymentCondition[] conditions) =>
        new() { Status = new V1DeploymentStatus { Conditions = conditions } };

    [Test]
    public void A_Pod_Refused_By_A_Quota_Is_Reported_With_The_Deployments_Own_Words() =>
        GatewayProgress.Stuck(With(
                new V1DeploymentCondition { Type = "Progressing", Status = "True", Reason = "NewReplicaSetCreated" },
                new V1DeploymentCondition
                {
                    Type = "ReplicaFailure", Status = "True", Reason = "FailedCreate",
                    Message = "pods \"lb-svc-web-5d8f\" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=10, limited: pods=10",
                }))
            .Should().Be("ReplicaFailure FailedCreate: pods \"lb-svc-web-5d8f\" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=10, limited: pods=10");

    [Test]
    public void A_Rollout_Past_Its_Deadline_Is_Reported() =>
        GatewayProgress.Stuck(With(new V1DeploymentCondition
            {
                Type = "Progressing", Status = "False", Reason = "ProgressDeadlineExceeded",
                Message = "ReplicaSet \"lb-svc-web-5d8f\" has timed out progressing.",
            }))
            .Should().StartWith("Progressing ProgressDeadlineExceeded: ");

    [Test]
    public void A_Deployment_Still_Progressing_Reports_Nothing()
    {
        GatewayProgress.Stuck(With(new V1DeploymentCondition { Type = "Progressing", Status = "True", Reason = "ReplicaSetUpdated" })).Should().BeNull();
        GatewayProgress.Stuck(new V1Deployment()).Should().BeNull();
    }
}
