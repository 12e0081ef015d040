using k8s.Models;

namespace LbOperator.LoadBalancing;

/// <summary>
/// What a Service asks that its gateway cannot do, and what the gateway does instead. The Service is still served;
/// these are said in its condition and as Warnings, so a user relying on the Kubernetes meaning of a field learns that
/// it does not hold here. Pure.
/// </summary>
public static class ServiceNotices
{
    public static IReadOnlyList<ServiceProblem> Of(V1Service service, ServicePlan plan)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(plan);
        var notices = new List<ServiceProblem>();
        if (service.Spec?.ExternalTrafficPolicy == "Local")
        {
            notices.Add(new ServiceProblem(EventReasons.ExternalTrafficPolicyNotHonoured,
                "externalTrafficPolicy: Local is not honoured: the gateway pod forwards to the ClusterIP and masquerades, so backends on " +
                "every node receive the traffic and see the gateway pod, not the client, as its source (as with externalTrafficPolicy: Cluster)"));
        }

        if (service.Spec?.SessionAffinity == "ClientIP")
        {
            notices.Add(new ServiceProblem(EventReasons.SessionAffinityNotHonoured,
                "sessionAffinity: ClientIP sees the gateway pod as the client, since the gateway masquerades: every client that comes " +
                "through the load balancer address reaches the same backend"));
        }

        if (service.Spec?.IpFamilyPolicy == "RequireDualStack" && plan.Subnet.Families.Count < 2)
        {
            var family = plan.Subnet.Families[0];
            notices.Add(new ServiceProblem(EventReasons.DualStackNotHonoured,
                $"ipFamilyPolicy: RequireDualStack, but Subnet {plan.Subnet.Name} has only {family.FamilyName} {family.Cidr}: the gateway serves " +
                $"{family.FamilyName} only; give the Subnet a cidrBlock of both families (\"<v4>,<v6>\") to serve both"));
        }

        return notices;
    }
}
