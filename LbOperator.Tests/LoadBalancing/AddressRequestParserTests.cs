using System.Net;
using LbOperator.LoadBalancing;

namespace LbOperator.Tests.LoadBalancing;

[Category("Unit")]
public sealed class AddressRequestParserTests
{
    private const string AddressKey = "lb-svc-attachment.kube-system.kubernetes.io/ip_address";
    private static readonly AttachmentProvider Provider = AttachmentProvider.Default;

    [Test]
    public void Nothing_Requested_Means_Dynamic() =>
        AddressRequestParser.Parse(TestObjects.Service(), Provider, TestObjects.Definition()).GetValueOrThrow().IsDynamic.Should().BeTrue();

    [Test]
    public void LoadBalancerIP_Asks_For_That_Address() =>
        AddressRequestParser.Parse(TestObjects.Service(loadBalancerIp: "172.18.0.18"), Provider, TestObjects.Definition())
            .GetValueOrThrow().StaticAddresses.Should().Equal(IPAddress.Parse("172.18.0.18"));

    [Test]
    public void The_Per_Family_Annotation_Asks_For_One_Address_Of_Each_Family_IPv4_First()
    {
        var service = TestObjects.Service(TestObjects.ProviderAnnotations((AddressKey, "fd00:18::12, 172.18.0.18")));
        AddressRequestParser.Parse(service, Provider, TestObjects.Definition("172.18.0.0/16,fd00:18::/64"))
            .GetValueOrThrow().StaticAddresses.Should().Equal(IPAddress.Parse("172.18.0.18"), IPAddress.Parse("fd00:18::12"));
    }

    [Test]
    public void LoadBalancerIP_Agreeing_With_The_Annotation_Is_Fine()
    {
        var service = TestObjects.Service(TestObjects.ProviderAnnotations((AddressKey, "172.18.0.18,fd00:18::12")), loadBalancerIp: "172.18.0.18");
        AddressRequestParser.Parse(service, Provider, TestObjects.Definition("172.18.0.0/16,fd00:18::/64")).IsSuccess.Should().BeTrue();
    }

    [Test]
    public void LoadBalancerIP_Disagreeing_With_The_Annotation_Is_An_Error()
    {
        var service = TestObjects.Service(TestObjects.ProviderAnnotations((AddressKey, "172.18.0.19")), loadBalancerIp: "172.18.0.18");
        AddressRequestParser.Parse(service, Provider, TestObjects.Definition())
            .Error.Should().Be($"Service default/test-service: spec.loadBalancerIP 172.18.0.18 is not among the addresses of annotation {AddressKey} \"172.18.0.19\"; set one of them, or make them agree");
    }

    [TestCase("172.19.0.1", "spec.loadBalancerIP: 172.19.0.1 is outside Subnet attach-subnet (172.18.0.0/16)")]
    [TestCase("fd00::1", "spec.loadBalancerIP: fd00::1 is IPv6, but Subnet attach-subnet has only IPv4 172.18.0.0/16")]
    [TestCase("172.18.0.300", "spec.loadBalancerIP \"172.18.0.300\": \"172.18.0.300\" is not an IP address")]
    [TestCase("172.018.0.1", "\"172.018.0.1\" is not an IP address")]
    [TestCase("fe80::1%eth0", "\"fe80::1%eth0\" is not an IP address")]
    [TestCase("172.18.0.18,172.18.0.19", "holds more than one address; for dual-stack use annotation " + AddressKey + ": \"v4,v6\"")]
    public void A_Bad_LoadBalancerIP_Gets_A_Precise_Message(string value, string expected)
    {
        var error = AddressRequestParser.Parse(TestObjects.Service(loadBalancerIp: value), Provider, TestObjects.Definition()).Error;
        error.Should().StartWith("Service default/test-service: spec.loadBalancerIP").And.Contain(expected);
    }

    [TestCase("172.18.0.18,fd00:18::12,172.18.0.19", "lists 3 addresses, more than the families of Subnet attach-subnet (IPv4 172.18.0.0/16 and IPv6 fd00:18::/64)")]
    [TestCase("172.18.0.18,172.18.0.19", "has two IPv4 addresses; give at most one per family")]
    [TestCase("172.18.0.18,", "\"\" is not an IP address")]
    [TestCase("fd00:19::1", "fd00:19::1 is outside Subnet attach-subnet (fd00:18::/64)")]
    public void A_Bad_Annotation_Gets_A_Precise_Message(string value, string expected)
    {
        var service = TestObjects.Service(TestObjects.ProviderAnnotations((AddressKey, value)));
        var error = AddressRequestParser.Parse(service, Provider, TestObjects.Definition("172.18.0.0/16,fd00:18::/64")).Error;
        error.Should().StartWith($"Service default/test-service: annotation {AddressKey}").And.Contain(expected);
    }
}
