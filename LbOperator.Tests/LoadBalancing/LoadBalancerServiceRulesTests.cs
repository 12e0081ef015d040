using LbOperator.LoadBalancing;

namespace LbOperator.Tests.LoadBalancing;

[Category("Unit")]
public sealed class LoadBalancerServiceRulesTests
{
    [Test]
    public void A_LoadBalancer_Service_With_The_Annotation_Is_Ours() =>
        LoadBalancerServiceRules.Classify(TestObjects.Service()).Should().Be(ServiceOwnership.Ours);

    [Test]
    public void An_Empty_Annotation_Value_Still_Opts_In() =>
        LoadBalancerServiceRules.Classify(TestObjects.Service(new() { ["ovn.kubernetes.io/attachmentprovider"] = "" }))
            .Should().Be(ServiceOwnership.Ours);

    [Test]
    public void A_Service_Without_The_Annotation_Is_Left_To_Other_Load_Balancers() =>
        LoadBalancerServiceRules.Classify(TestObjects.Service(new())).Should().Be(ServiceOwnership.NoAttachmentProvider);

    [TestCase("ClusterIP")]
    [TestCase("NodePort")]
    [TestCase("ExternalName")]
    public void Other_Service_Types_Are_Left_Alone(string type) =>
        LoadBalancerServiceRules.Classify(TestObjects.Service(type: type)).Should().Be(ServiceOwnership.NotLoadBalancer);

    [Test]
    public void Another_Load_Balancer_Class_Is_Left_Alone() =>
        LoadBalancerServiceRules.Classify(TestObjects.Service(loadBalancerClass: "metallb.io/metallb"))
            .Should().Be(ServiceOwnership.OtherLoadBalancerClass);

    [Test]
    public void Our_Load_Balancer_Class_Is_Ours() =>
        LoadBalancerServiceRules.IsOurs(TestObjects.Service(loadBalancerClass: Annotations.LoadBalancerClass)).Should().BeTrue();
}
