using LbOperator.LoadBalancing;

namespace LbOperator.Tests.LoadBalancing;

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

    [Test]
    public void Resolves_The_Seed_Service()
    {
        var result = LoadBalancerServiceRules.Resolve(
            TestObjects.Service(TestObjects.ProviderAnnotations(("lb-svc-attachment.kube-system.kubernetes.io/logical_switch", "attach-subnet")), loadBalancerIp: "172.18.0.18"),
            [TestObjects.Subnet()]);

        result.IsSuccess.Should().BeTrue(result.Error);
        result.Value!.Provider.Name.Should().Be("lb-svc-attachment.kube-system");
        result.Value.Subnet.Name.Should().Be("attach-subnet");
        result.Value.Request.StaticAddresses.Should().Equal(System.Net.IPAddress.Parse("172.18.0.18"));
        result.Value.Forwarding.Ports.Should().Equal(new LbOperator.Gateway.ServicePortRule(LbOperator.Gateway.PortProtocol.Tcp, 80));
    }

    [Test]
    public void An_Invalid_Subnet_Is_Reported_With_Its_Errors()
    {
        var result = LoadBalancerServiceRules.Resolve(TestObjects.Service(), [TestObjects.Subnet(cidr: "not-a-cidr")]);
        result.Error.Should().Contain("default/test-service").And.Contain("attach-subnet is not valid").And.Contain("not-a-cidr");
    }

    [Test]
    public void The_First_Problem_Is_Reported_Not_An_Exception()
    {
        var result = LoadBalancerServiceRules.Resolve(TestObjects.Service(loadBalancerIp: "172.19.0.1"), [TestObjects.Subnet()]);
        result.IsSuccess.Should().BeFalse();
        result.Error.Should().Be("Service default/test-service: spec.loadBalancerIP: 172.19.0.1 is outside Subnet attach-subnet (172.18.0.0/16)");
    }

    [Test]
    public void Without_A_ClusterIP_Resolve_Fails_Unless_Checking_A_Manifest()
    {
        var service = TestObjects.Service();
        service.Spec.ClusterIP = null;
        service.Spec.ClusterIPs = null;

        LoadBalancerServiceRules.Resolve(service, [TestObjects.Subnet()]).Error.Should().Contain("has no spec.clusterIP");
        LoadBalancerServiceRules.Resolve(service, [TestObjects.Subnet()], requireClusterIp: false).IsSuccess.Should().BeTrue();
    }

    [Test]
    public void A_Subnet_Of_Kube_Ovn_Is_Never_Used_Even_When_Nothing_Else_Matches()
    {
        var result = LoadBalancerServiceRules.Resolve(TestObjects.Service(), [TestObjects.Subnet("ovn-default", provider: null), TestObjects.Subnet("x", provider: "ovn")]);
        result.Error.Should().Contain("no Subnet has spec.provider \"lb-svc-attachment.kube-system\"");
    }
}
