using LbOperator.LoadBalancing;

namespace LbOperator.Tests.LoadBalancing;

[Category("Unit")]
public sealed class GatewayReplicaRequestTests
{
    [TestCase("1", 1)]
    [TestCase("2", 2)]
    [TestCase("5", 5)]
    public void A_Whole_Number_From_1_To_5_Is_Taken(string text, int expected) =>
        GatewayReplicaRequest.Parse(TestObjects.Service(TestObjects.ProviderAnnotations((Annotations.GatewayReplicas, text))))
            .GetValueOrThrow().Count.Should().Be(expected);

    [Test]
    public void No_Annotation_Means_The_Operator_Default() =>
        GatewayReplicaRequest.Parse(TestObjects.Service()).GetValueOrThrow().Count.Should().BeNull();

    [TestCase("0")]
    [TestCase("6")]
    [TestCase("-1")]
    [TestCase("two")]
    [TestCase(" 2")]
    [TestCase("2.0")]
    [TestCase("")]
    public void Anything_Else_Is_Refused_Naming_The_Annotation_And_The_Value(string text)
    {
        var result = GatewayReplicaRequest.Parse(TestObjects.Service(TestObjects.ProviderAnnotations((Annotations.GatewayReplicas, text))));

        result.IsSuccess.Should().BeFalse();
        result.Error.Should().Contain("Service default/test-service").And.Contain(Annotations.GatewayReplicas).And.Contain($"\"{text}\"").And.Contain("from 1 to 5");
    }

    [Test]
    public void The_Planner_Refuses_A_Bad_Value_As_An_Invalid_Annotation_And_Carries_A_Good_One()
    {
        var subnets = new[] { TestObjects.Subnet() };
        var bad = ServicePlanner.Plan(TestObjects.Service(TestObjects.ProviderAnnotations((Annotations.GatewayReplicas, "many"))),
            PlanningInputs.Offline(subnets, _ => null, NetworkAttachmentLookup.NotChecked, requireClusterIp: true));
        var good = ServicePlanner.Plan(TestObjects.Service(TestObjects.ProviderAnnotations((Annotations.GatewayReplicas, "2"))),
            PlanningInputs.Offline(subnets, _ => null, NetworkAttachmentLookup.NotChecked, requireClusterIp: true));

        bad.Problem!.Reason.Should().Be(EventReasons.InvalidAnnotation);
        good.Plan!.GatewayReplicas.Should().Be(2);
    }
}
