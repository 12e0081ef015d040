using LbOperator.LoadBalancing;

namespace LbOperator.Tests.LoadBalancing;

[Category("Unit")]
public sealed class ServiceNoticesTests
{
    [Test]
    public void ExternalTrafficPolicy_Local_Is_Said_Not_To_Hold()
    {
        var service = TestObjects.Service();
        service.Spec.ExternalTrafficPolicy = "Local";

        var notice = ServiceNotices.Of(service, TestObjects.Plan(service, TestObjects.Definition())).Should().ContainSingle().Subject;

        notice.Reason.Should().Be(EventReasons.ExternalTrafficPolicyNotHonoured);
        notice.Message.Should().Contain("externalTrafficPolicy: Local is not honoured").And.Contain("masquerades");
    }

    [Test]
    public void RequireDualStack_On_A_Single_Family_Subnet_Says_Which_Family_Is_Served()
    {
        var service = TestObjects.Service(clusterIps: ["10.109.201.193", "fd00:96::a"]);
        service.Spec.IpFamilyPolicy = "RequireDualStack";

        var notice = ServiceNotices.Of(service, TestObjects.Plan(service, TestObjects.Definition())).Should().ContainSingle().Subject;

        notice.Reason.Should().Be(EventReasons.DualStackNotHonoured);
        notice.Message.Should().Contain("Subnet attach-subnet has only IPv4 172.18.0.0/16: the gateway serves IPv4 only");
    }

    [Test]
    public void SessionAffinity_ClientIP_Is_Said_To_Pin_Every_Client_To_One_Backend()
    {
        var service = TestObjects.Service();
        service.Spec.SessionAffinity = "ClientIP";

        var notice = ServiceNotices.Of(service, TestObjects.Plan(service, TestObjects.Definition())).Should().ContainSingle().Subject;

        notice.Reason.Should().Be(EventReasons.SessionAffinityNotHonoured);
        notice.Message.Should().Contain("reaches the same backend");
    }

    [Test]
    public void A_Service_Served_As_Asked_Has_No_Notice()
    {
        var service = TestObjects.Service(clusterIps: ["10.109.201.193", "fd00:96::a"]);
        service.Spec.IpFamilyPolicy = "RequireDualStack";
        service.Spec.ExternalTrafficPolicy = "Cluster";
        service.Spec.SessionAffinity = "None";

        ServiceNotices.Of(service, TestObjects.Plan(service, TestObjects.Definition("172.18.0.0/16,fd00:18::/64"))).Should().BeEmpty();
    }
}
