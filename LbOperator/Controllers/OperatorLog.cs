using LbOperator.Ipam;
using Microsoft.Extensions.Logging;

namespace LbOperator.Controllers;

/// <summary>The operator's log lines (source-generated: nothing is formatted when the level is off).</summary>
internal static partial class OperatorLog
{
    // Kind, namespace and name of the object being reconciled come from the reconcile's log scope.
    [LoggerMessage(Level = LogLevel.Information, Message = "The Service holds {Addresses}.")]
    public static partial void Allocated(this ILogger logger, string addresses);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Reason}: {Problem}")]
    public static partial void ServiceProblem(this ILogger logger, string reason, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write the Service's condition: {Error}")]
    public static partial void StatusWriteFailed(this ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Creating gateway Deployment {Deployment}.")]
    public static partial void CreatingGateway(this ILogger logger, string deployment);

    [LoggerMessage(Level = LogLevel.Information, Message = "Restoring gateway Deployment {Deployment} to its built form ({Differences}).")]
    public static partial void RestoringGateway(this ILogger logger, string deployment, string differences);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted gateway Deployment {Deployment}.")]
    public static partial void DeletedGateway(this ILogger logger, string deployment);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created PodDisruptionBudget {Budget} of the highly available gateway.")]
    public static partial void CreatedBudget(this ILogger logger, string budget);

    [LoggerMessage(Level = LogLevel.Information, Message = "Restoring PodDisruptionBudget {Budget} to its built form ({Differences}).")]
    public static partial void RestoringBudget(this ILogger logger, string budget, string differences);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted PodDisruptionBudget {Budget}: the gateway runs one pod.")]
    public static partial void DeletedBudget(this ILogger logger, string budget);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Controller} runs with {Flag}=true: Kube-OVN's lb-svc serves the same Services, so LbOperator serves none until {Flag}=false is set on it.")]
    public static partial void KubeOvnLbSvcOn(this ILogger logger, string controller, string flag);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Controller} no longer runs with {Flag}=true: LbOperator serves its Services.")]
    public static partial void KubeOvnLbSvcOff(this ILogger logger, string controller, string flag);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read {Controller} to see whether Kube-OVN's lb-svc runs; keeping the last answer ({Enabled}).")]
    public static partial void KubeOvnLbSvcUnknown(this ILogger logger, Exception error, string controller, bool enabled);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Deleting Kube-OVN's lb-svc gateway Deployment {Deployment}; LbOperator's gateway takes its place once its pod is gone.")]
    public static partial void ReplacingKubeOvnGateway(this ILogger logger, string deployment);

    [LoggerMessage(Level = LogLevel.Information, Message = "Released {Holding}.")]
    public static partial void Released(this ILogger logger, IpamHolding holding);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "IPAM rebuilt: {Subnets} Subnets, {Adopted} Services keep their addresses, {Conflicts} conflicts, {Rejected} unusable records.")]
    public static partial void Rebuilt(this ILogger logger, int subnets, int adopted, int conflicts, int rejected);

    [LoggerMessage(Level = LogLevel.Warning, Message = "IPAM rebuild: {Conflict}.")]
    public static partial void RebuildConflict(this ILogger logger, RebuildConflict conflict);

    [LoggerMessage(Level = LogLevel.Warning, Message = "IPAM rebuild: record of {Rejection} not adopted; the Service asks again.")]
    public static partial void RebuildRejection(this ILogger logger, RebuildRejection rejection);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "IPAM rebuild: subnet {Subnet} ({CidrBlock}) left out, its CIDR overlaps a Subnet applied before it.")]
    public static partial void RebuildSubnetLeftOut(this ILogger logger, string subnet, string cidrBlock);

    [LoggerMessage(Level = LogLevel.Warning, Message = "IPAM rebuild: {Problem}; the Subnet's spec is used instead.")]
    public static partial void AcceptedSpecUnreadable(this ILogger logger, string problem);
}
