using k8s.Models;
using LbOperator.Framework.Entities;
using LbOperator.LoadBalancing;

namespace LbOperator.Controllers;

/// <summary>
/// Where one of LbOperator's Services stands, read from the <c>LoadBalancerReady</c> condition the operator writes:
/// <c>ready</c> (condition True), <c>pending</c> (waiting for its gateway, or not reconciled yet) or <c>failed</c>
/// (any other reason: the condition's reason, e.g. <c>SubnetExhausted</c>, says why).
/// </summary>
public sealed record ServiceState(string State, string Reason)
{
    public const string Ready = "ready";
    public const string Pending = "pending";
    public const string Failed = "failed";

    /// <summary>The reason of a Service that has no condition yet (the operator has not finished a reconcile of it).</summary>
    public const string NotReconciled = "NotReconciled";

    public static ServiceState Of(V1Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return ConditionList.Find(service.Status?.Conditions, ServiceController.ConditionType) switch
        {
            null => new ServiceState(Pending, NotReconciled),
            { Status: "True" } ready => new ServiceState(Ready, ready.Reason ?? EventReasons.GatewayReady),
            { Reason: EventReasons.GatewayPending } => new ServiceState(Pending, EventReasons.GatewayPending),
            var failed => new ServiceState(Failed, string.IsNullOrEmpty(failed.Reason) ? "Unknown" : failed.Reason),
        };
    }
}
