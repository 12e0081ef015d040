using System.Net;
using k8s.Models;
using LbOperator.Gateway;
using LbOperator.Ipam;
using LbOperator.LoadBalancing;
using LbOperator.Tests.LoadBalancing;

namespace LbOperator.Tests.Gateway;

/// <summary>Recognising Kube-OVN's lb-svc gateway of a Service, and what LbOperator takes over from it.</summary>
[Category("Unit")]
public sealed class KubeOvnLbSvcGatewayTests
{
    private const string IpKey = "lb-svc-attachment.kube-system.kubernetes.io/ip_address";

    private static V1Service ServedService(params string[] ingress)
    {
        var service = TestObjects.Service();
        service.Status = new V1ServiceStatus { LoadBalancer = new V1LoadBalancerStatus { Ingress = [.. ingress.Select(ip => new V1LoadBalancerIngress { Ip = ip })] } };
        return service;
    }

    private static V1Deployment KubeOvnGateway()
    {
        var labels = new Dictionary<string, string> { ["app"] = "lb-svc-test-service", ["namespace"] = "default", ["service"] = "test-service" };
        return new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "lb-svc-test-service", NamespaceProperty = "default", Labels = labels },
            Spec = new V1DeploymentSpec
            {
                Selector = new V1LabelSelector { MatchLabels = labels },
                Template = new V1PodTemplateSpec { Spec = new V1PodSpec { Containers = [new V1Container { Name = "lb-svc", Command = ["sleep", "infinity"] }] } },
            },
        };
    }

    private static V1Pod Pod(string name, string? addresses, bool deleting = false) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "default",
            DeletionTimestamp = deleting ? DateTime.UtcNow : null,
            Annotations = addresses is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [IpKey] = addresses },
        },
    };

    private static ServicePlan Plan(V1Service service, AddressRequest? request = null) =>
        TestObjects.Plan(service, TestObjects.Definition()) with { Request = request ?? AddressRequest.Dynamic };

    [Test]
    public void Kube_Ovns_Deployment_Is_Recognised_By_Name_Labels_Container_And_No_Owner()
    {
        var service = ServedService("172.18.0.30");
        KubeOvnLbSvcGateway.IsGatewayOf(KubeOvnGateway(), service).Should().BeTrue();
        KubeOvnLbSvcGateway.PodSelector(KubeOvnGateway()).Should().Be("app=lb-svc-test-service,namespace=default,service=test-service");

        var owned = KubeOvnGateway();
        owned.Metadata.OwnerReferences = [new V1OwnerReference { Kind = "Service", Name = "test-service", Uid = "uid-1", ApiVersion = "v1" }];
        KubeOvnLbSvcGateway.IsGatewayOf(owned, service).Should().BeFalse("a Deployment with an owner is not the one Kube-OVN makes");
        var otherService = KubeOvnGateway();
        otherService.Metadata.Labels["service"] = "other";
        KubeOvnLbSvcGateway.IsGatewayOf(otherService, service).Should().BeFalse();
        var noLbSvcContainer = KubeOvnGateway();
        noLbSvcContainer.Spec.Template.Spec.Containers[0].Name = "app";
        KubeOvnLbSvcGateway.IsGatewayOf(noLbSvcContainer, service).Should().BeFalse();
        KubeOvnLbSvcGateway.IsGatewayOf(TestObjects.Gateway(), service).Should().BeFalse("LbOperator's own gateway is not Kube-OVN's");
        KubeOvnLbSvcGateway.IsGatewayOf(null, service).Should().BeFalse();
    }

    [Test]
    public void The_Address_Of_Its_Pod_Shown_In_The_Services_Status_Is_Handed_Over()
    {
        var service = ServedService("172.18.0.30");
        var handover = KubeOvnLbSvcGateway.Handover(service, Plan(service), KubeOvnGateway(), [Pod("old", "172.18.0.99", deleting: true), Pod("lb-svc-test-service-1-a", "172.18.0.30")]);
        handover.IsSuccess.Should().BeTrue(handover.Error);
        handover.Value!.PodName.Should().Be("lb-svc-test-service-1-a");
        handover.Value.Addresses.Should().Equal(IPAddress.Parse("172.18.0.30"));

        KubeOvnLbSvcGateway.Handover(service, Plan(service, AddressRequest.Static([IPAddress.Parse("172.18.0.30")])), KubeOvnGateway(),
            [Pod("p", "172.18.0.30")]).IsSuccess.Should().BeTrue("a static Service asks for what Kube-OVN gave it");
    }

    [TestCase(null, "172.18.0.30", "none of its pods shows an address in annotation lb-svc-attachment.kube-system.kubernetes.io/ip_address")]
    [TestCase("172.18.0.31", "172.18.0.30", "its pod holds 172.18.0.31, which the Service's status.loadBalancer.ingress (172.18.0.30) does not show")]
    [TestCase("10.0.0.5", "10.0.0.5", "its pod holds 10.0.0.5, which is not in subnet attach-subnet (172.18.0.0/16)")]
    [TestCase("not-an-address", "172.18.0.30", "none of its pods shows an address")]
    public void What_Disagrees_Is_Named_And_Nothing_Is_Taken_Over(string? podAddress, string ingress, string expected)
    {
        var service = ServedService(ingress);
        var handover = KubeOvnLbSvcGateway.Handover(service, Plan(service), KubeOvnGateway(), [Pod("p", podAddress)]);
        handover.IsSuccess.Should().BeFalse();
        handover.Error.Should().StartWith("Service default/test-service: taking it over from Kube-OVN's lb-svc gateway Deployment lb-svc-test-service: ")
            .And.Contain(expected);
    }

    [Test]
    public void Pods_Disagreeing_Or_A_Static_Request_For_Another_Address_Are_Refused()
    {
        var service = ServedService("172.18.0.30", "172.18.0.31");
        KubeOvnLbSvcGateway.Handover(service, Plan(service), KubeOvnGateway(), [Pod("a", "172.18.0.30"), Pod("b", "172.18.0.31")])
            .Error.Should().Contain("its pods show different addresses in lb-svc-attachment.kube-system.kubernetes.io/ip_address (a 172.18.0.30; b 172.18.0.31)");
        KubeOvnLbSvcGateway.Handover(service, Plan(service, AddressRequest.Static([IPAddress.Parse("172.18.0.40")])), KubeOvnGateway(), [Pod("a", "172.18.0.30")])
            .Error.Should().Contain("the Service asks for 172.18.0.40, its pod holds 172.18.0.30");
        var elsewhere = Pod("a", "172.18.0.30");
        elsewhere.Metadata.Annotations["lb-svc-attachment.kube-system.kubernetes.io/logical_switch"] = "other-subnet";
        KubeOvnLbSvcGateway.Handover(service, Plan(service), KubeOvnGateway(), [elsewhere])
            .Error.Should().Contain("its pod's address is of subnet other-subnet, the Service's is attach-subnet");
    }
}
