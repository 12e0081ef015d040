using System.Net;
using k8s.Models;
using LbOperator.LoadBalancing;

namespace LbOperator.Tests.LoadBalancing;

[Category("Unit")]
public sealed class ServiceForwardingTests
{
    [Test]
    public void TargetPort_Plays_No_Part_Named_Or_Numbered()
    {
        var service = TestObjects.Service(ports:
        [
            new V1ServicePort { Name = "http", Port = 80, TargetPort = 8080 },
            new V1ServicePort { Name = "dns", Protocol = "UDP", Port = 53, TargetPort = "dns" },
            new V1ServicePort { Name = "sig", Protocol = "SCTP", Port = 2905 },
        ]);
        ServiceForwarding.Parse(service).GetValueOrThrow().Ports.Should().Equal(
            new ServicePortRule(PortProtocol.Tcp, 80), new ServicePortRule(PortProtocol.Udp, 53), new ServicePortRule(PortProtocol.Sctp, 2905));
    }

    [Test]
    public void Dual_Stack_ClusterIPs_Are_Kept_Per_Family()
    {
        var forwarding = ServiceForwarding.Parse(TestObjects.Service(clusterIps: ["10.96.0.20", "fd00:96::20"])).GetValueOrThrow();
        forwarding.ClusterIpOf(System.Net.Sockets.AddressFamily.InterNetworkV6).Should().Be(IPAddress.Parse("fd00:96::20"));
    }

    [Test]
    public void Source_Ranges_Are_Normalised()
    {
        var forwarding = ServiceForwarding.Parse(TestObjects.Service(sourceRanges: [" 192.168.50.7/24", "fd00:50::1/64"])).GetValueOrThrow();
        forwarding.SourceRanges.Should().Equal(IPNetwork.Parse("192.168.50.0/24"), IPNetwork.Parse("fd00:50::/64"));
    }

    [TestCase("192.168.50.0", "spec.loadBalancerSourceRanges entry \"192.168.50.0\" is not a CIDR")]
    [TestCase("192.168.50.0/33", "is not a CIDR")]
    [TestCase("0.0.0.0/0; reboot", "is not a CIDR")]
    public void A_Bad_Source_Range_Is_Reported(string range, string expected) =>
        ServiceForwarding.Parse(TestObjects.Service(sourceRanges: [range])).Error.Should().Contain(expected);

    [Test]
    public void An_Unsupported_Protocol_Is_Reported() =>
        ServiceForwarding.Parse(TestObjects.Service(ports: [new V1ServicePort { Name = "x", Protocol = "ICMP", Port = 1 }]))
            .Error.Should().Be("Service default/test-service: spec.ports[0] (\"x\") protocol \"ICMP\" is not supported (accepted: TCP, UDP, SCTP)");

    [Test]
    public void A_Missing_ClusterIP_Says_How_To_Give_One()
    {
        var service = TestObjects.Service(clusterIps: ["None"]);
        ServiceForwarding.Parse(service).Error.Should().Contain("has no spec.clusterIP").And.Contain("set spec.clusterIP");
    }

    [Test]
    public void The_Older_Source_Ranges_Annotation_Is_Honoured_When_The_Field_Is_Empty()
    {
        var service = TestObjects.Service(TestObjects.ProviderAnnotations(
            (Annotations.LegacySourceRanges, " 192.168.50.7/24 ,fd00:50::/64,192.168.50.0/24")));

        ServiceForwarding.Parse(service).GetValueOrThrow().SourceRanges
            .Should().Equal(IPNetwork.Parse("192.168.50.0/24"), IPNetwork.Parse("fd00:50::/64"));
    }

    [Test]
    public void The_Field_Wins_Over_The_Older_Annotation()
    {
        var service = TestObjects.Service(TestObjects.ProviderAnnotations((Annotations.LegacySourceRanges, "192.168.50.0/24")),
            sourceRanges: ["10.0.0.0/8"]);

        ServiceForwarding.Parse(service).GetValueOrThrow().SourceRanges.Should().Equal(IPNetwork.Parse("10.0.0.0/8"));
    }

    [TestCase("")]
    [TestCase("  ")]
    public void A_Blank_Older_Annotation_Means_Every_Source(string value) =>
        ServiceForwarding.Parse(TestObjects.Service(TestObjects.ProviderAnnotations((Annotations.LegacySourceRanges, value))))
            .GetValueOrThrow().SourceRanges.Should().BeEmpty();

    [Test]
    public void A_Bad_Entry_Of_The_Older_Annotation_Names_The_Annotation() =>
        ServiceForwarding.Parse(TestObjects.Service(TestObjects.ProviderAnnotations((Annotations.LegacySourceRanges, "192.168.50.0/24,nonsense"))))
            .Error.Should().Be("Service default/test-service: annotation service.beta.kubernetes.io/load-balancer-source-ranges " +
                "entry \"nonsense\" is not a CIDR (accepted: e.g. 192.168.0.0/16 or fd00::/64)");

    [Test]
    public void A_Service_Without_Ports_Is_Reported() =>
        ServiceForwarding.Parse(TestObjects.Service(ports: [])).Error.Should().Contain("has no spec.ports");
}
