using System.Net;
using k8s.Models;
using LbOperator.Entities;
using LbOperator.Ipam;
using LbOperator.LoadBalancing;

namespace LbOperator.Tests.LoadBalancing;

[Category("Unit")]
public sealed class ServicePlannerTests
{
    private static readonly V1NetworkAttachmentDefinition Nad = new()
    {
        Metadata = new V1ObjectMeta { Name = "lb-svc-attachment", NamespaceProperty = "kube-system" },
    };

    private static PlanOutcome Plan(
        V1Service service,
        IReadOnlyCollection<V1Subnet>? subnets = null,
        NetworkAttachmentLookup? nad = null,
        Func<string, SubnetDefinition?>? inEffect = null,
        string? heldSubnet = null,
        bool requireClusterIp = true) =>
        ServicePlanner.Plan(service, new PlanningInputs(
            subnets ?? [TestObjects.Subnet()], nad ?? NetworkAttachmentLookup.Of(Nad), inEffect ?? (_ => null), heldSubnet, requireClusterIp));

    [Test]
    public void Plans_The_Seed_Service()
    {
        var outcome = Plan(TestObjects.Service(
            TestObjects.ProviderAnnotations(("lb-svc-attachment.kube-system.kubernetes.io/logical_switch", "attach-subnet")), loadBalancerIp: "172.18.0.18"));

        outcome.Problem.Should().BeNull();
        var plan = outcome.Plan!;
        plan.Provider.Name.Should().Be("lb-svc-attachment.kube-system");
        plan.Subnet.Name.Should().Be("attach-subnet");
        plan.Request.StaticAddresses.Should().Equal(IPAddress.Parse("172.18.0.18"));
        plan.Forwarding.Ports.Should().Equal(new ServicePortRule(PortProtocol.Tcp, 80));
        plan.Attachment.ResourceName.Should().BeNull();
        outcome.Provider.Should().Be("lb-svc-attachment.kube-system");
        outcome.Subnet.Should().Be("attach-subnet");
    }

    [Test]
    public void Each_Step_Fails_With_Its_Own_Reason()
    {
        Plan(TestObjects.Service(new Dictionary<string, string> { ["ovn.kubernetes.io/attachmentprovider"] = "nodot" }))
            .Problem!.Reason.Should().Be(EventReasons.InvalidAnnotation);
        Plan(TestObjects.Service(), nad: NetworkAttachmentLookup.Missing)
            .Problem!.Reason.Should().Be(EventReasons.NetworkAttachmentNotFound);
        Plan(TestObjects.Service(), subnets: [])
            .Problem!.Reason.Should().Be(EventReasons.SubnetNotFound);
        Plan(TestObjects.Service(), subnets: [TestObjects.Subnet(cidr: "not-a-cidr")])
            .Problem!.Reason.Should().Be(EventReasons.SubnetInvalid);
        Plan(TestObjects.Service(loadBalancerIp: "banana"))
            .Problem!.Reason.Should().Be(EventReasons.InvalidAddressRequest);
        Plan(TestObjects.Service(ports: [new V1ServicePort { Protocol = "ICMP", Port = 80 }]))
            .Problem!.Reason.Should().Be(EventReasons.UnsupportedProtocol);
        Plan(TestObjects.Service(ports: []))
            .Problem!.Reason.Should().Be(EventReasons.InvalidServiceSpec);
    }

    [Test]
    public void The_First_Problem_Is_A_Value_With_The_Users_Words()
    {
        var outcome = Plan(TestObjects.Service(loadBalancerIp: "172.19.0.1"));
        outcome.Plan.Should().BeNull();
        outcome.Problem!.Message.Should().Be("Service default/test-service: spec.loadBalancerIP: 172.19.0.1 is outside Subnet attach-subnet (172.18.0.0/16)");
        outcome.Subnet.Should().Be("attach-subnet", "the Subnet the Service is after is known even when it fails");
    }

    [Test]
    public void An_Invalid_Subnet_Is_Reported_With_Its_Errors() =>
        Plan(TestObjects.Service(), subnets: [TestObjects.Subnet(cidr: "not-a-cidr")]).Problem!.Message
            .Should().Contain("default/test-service").And.Contain("attach-subnet is not valid").And.Contain("not-a-cidr");

    [Test]
    public void Without_A_ClusterIP_Planning_Fails_Unless_Checking_A_Manifest()
    {
        var service = TestObjects.Service();
        service.Spec.ClusterIP = null;
        service.Spec.ClusterIPs = null;

        Plan(service).Problem!.Message.Should().Contain("has no spec.clusterIP");
        Plan(service, requireClusterIp: false).Plan.Should().NotBeNull();
    }

    [Test]
    public void A_Subnet_Of_Kube_Ovn_Is_Never_Used_Even_When_Nothing_Else_Matches() =>
        Plan(TestObjects.Service(), subnets: [TestObjects.Subnet("ovn-default", provider: null), TestObjects.Subnet("x", provider: "ovn")])
            .Problem!.Message.Should().Contain("no Subnet has spec.provider \"lb-svc-attachment.kube-system\"");

    [Test]
    public void A_Nad_Not_Looked_Up_Is_No_Refusal_And_Gives_No_Device_Resource()
    {
        var outcome = Plan(TestObjects.Service(), nad: NetworkAttachmentLookup.NotChecked);
        outcome.Plan!.Attachment.ResourceName.Should().BeNull();
    }

    [Test]
    public void A_Nad_Of_Another_Name_Counts_As_Missing() =>
        Plan(TestObjects.Service(), nad: NetworkAttachmentLookup.Of(new V1NetworkAttachmentDefinition
        {
            Metadata = new V1ObjectMeta { Name = "other", NamespaceProperty = "kube-system" },
        })).Problem!.Reason.Should().Be(EventReasons.NetworkAttachmentNotFound);

    [Test]
    public void The_Nads_Device_Resource_Reaches_The_Plan_And_A_Bad_One_Is_Refused()
    {
        var sriov = new V1NetworkAttachmentDefinition
        {
            Metadata = new V1ObjectMeta
            {
                Name = "lb-svc-attachment",
                NamespaceProperty = "kube-system",
                Annotations = new Dictionary<string, string> { [Annotations.MultusResourceName] = "intel.com/sriov_netdevice" },
            },
        };
        Plan(TestObjects.Service(), nad: NetworkAttachmentLookup.Of(sriov)).Plan!.Attachment.ResourceName.Should().Be("intel.com/sriov_netdevice");

        sriov.Metadata.Annotations[Annotations.MultusResourceName] = "two words";
        var refused = Plan(TestObjects.Service(), nad: NetworkAttachmentLookup.Of(sriov)).Problem!;
        refused.Reason.Should().Be(EventReasons.InvalidAnnotation);
        refused.Message.Should().StartWith("Service default/test-service: NetworkAttachmentDefinition kube-system/lb-svc-attachment");
    }

    [Test]
    public void The_Definition_In_Effect_Wins_Over_The_Object_As_Written()
    {
        // The IPAM refused an edit of cidrBlock: the plan keeps the CIDR in effect.
        var inEffect = TestObjects.Definition("172.18.0.0/16");
        var edited = TestObjects.Subnet(cidr: "10.0.0.0/24");

        var outcome = Plan(TestObjects.Service(loadBalancerIp: "172.18.0.18"), subnets: [edited], inEffect: name => name == "attach-subnet" ? inEffect : null);

        outcome.Plan!.Subnet.Should().BeSameAs(inEffect);
    }

    [Test]
    public void A_Terminating_Subnet_Serves_Only_The_Services_That_Hold_Addresses_In_It()
    {
        var terminating = TestObjects.Subnet();
        terminating.Metadata.DeletionTimestamp = DateTime.UtcNow;

        Plan(TestObjects.Service(), subnets: [terminating]).Problem!.Reason.Should().Be(EventReasons.SubnetTerminating);
        Plan(TestObjects.Service(), subnets: [terminating], heldSubnet: "attach-subnet").Plan.Should().NotBeNull();
    }

    [Test]
    public void Planning_Changes_Nothing_It_Is_Given()
    {
        var service = TestObjects.Service(loadBalancerIp: "172.18.0.18");
        var subnet = TestObjects.Subnet();
        var before = (k8s.KubernetesJson.Serialize(service), k8s.KubernetesJson.Serialize(subnet));
        var ipam = new IpamService();

        Plan(service, subnets: [subnet], inEffect: ipam.GetSubnet).Plan.Should().NotBeNull();

        (k8s.KubernetesJson.Serialize(service), k8s.KubernetesJson.Serialize(subnet)).Should().Be(before);
        ipam.GetSubnet("attach-subnet").Should().BeNull("planning never applies a Subnet to the IPAM");
    }

    [Test]
    public void Allocation_Refusals_Map_To_Their_Reasons()
    {
        var service = TestObjects.Service();
        var ipam = new IpamService();
        ipam.ApplySubnet(TestObjects.Definition("172.18.0.0/30"));
        var first = new IpamOwner("default", "a", "uid-a");
        ipam.Allocate("attach-subnet", first, AddressRequest.Dynamic).Should().BeOfType<AllocationResult.Allocated>();

        var exhausted = ipam.Allocate("attach-subnet", new IpamOwner("default", "b", "uid-b"), AddressRequest.Dynamic);
        var taken = ipam.Allocate("attach-subnet", new IpamOwner("default", "c", "uid-c"), AddressRequest.Static(IPAddress.Parse("172.18.0.2")));

        ServicePlanner.ProblemOf(service, exhausted).Reason.Should().Be(EventReasons.SubnetExhausted);
        ServicePlanner.ProblemOf(service, taken).Should().Match<ServiceProblem>(p =>
            p.Reason == EventReasons.AddressConflict && p.Message.StartsWith("Service default/test-service: ", StringComparison.Ordinal));
    }

    [Test]
    public void A_Subnet_Reserved_For_Other_Namespaces_Refuses_With_Its_Own_Reason()
    {
        var reserved = TestObjects.Subnet();
        reserved.Spec.Namespaces = ["tenant-a"];
        var problem = Plan(TestObjects.Service(), subnets: [reserved]).Problem!;
        problem.Reason.Should().Be(EventReasons.SubnetNotAllowed);
        problem.Message.Should().Contain("tenant-a").And.Contain("namespace default");
    }

    [Test]
    public void A_Subnet_Not_In_Effect_That_Overlaps_One_In_Effect_Hands_Out_Nothing()
    {
        var older = TestObjects.Subnet("older", cidr: "172.18.0.0/16", created: new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var newer = TestObjects.Subnet("newer", cidr: "172.18.128.0/17", created: new DateTime(2026, 1, 2, 0, 0, 0, DateTimeKind.Utc));
        var service = TestObjects.Service(TestObjects.ProviderAnnotations(("lb-svc-attachment.kube-system.kubernetes.io/logical_switch", "newer")));

        var problem = Plan(service, subnets: [older, newer]).Problem!;
        problem.Reason.Should().Be(EventReasons.SubnetInvalid);
        problem.Message.Should().StartWith("Service default/test-service: Subnet newer hands out no addresses: spec.cidrBlock \"172.18.128.0/17\" overlaps 172.18.0.0/16 of subnet older");
        var ipam = new IpamService();
        ServicePlanner.ProblemOf(service, ipam.Allocate("x", new IpamOwner("default", "a", "uid-a"), AddressRequest.Dynamic))
            .Reason.Should().Be(EventReasons.SubnetInvalid);
    }
}
