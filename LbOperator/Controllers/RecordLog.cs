using System.Net;
using LbOperator.Ipam;
using Microsoft.Extensions.Logging;

namespace LbOperator.Controllers;

/// <summary>The log lines about allocation records, their adoption after a restart and the sweep of leftovers.</summary>
internal static partial class RecordLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Recorded {Address} as IpAllocation {Record}.")]
    public static partial void Recorded(this ILogger logger, IPAddress address, string record);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted IpAllocation {Record} of {Owner}: {Why}.")]
    public static partial void DeletedRecord(this ILogger logger, string record, IpamOwner owner, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "IpAllocation {Record} of {Holder}, which neither holds nor announces the address any more, is replaced.")]
    public static partial void ReplacingRecord(this ILogger logger, string record, string holder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "IpAllocation {Record} is not in the form the operator writes; it is left alone and never adopted.")]
    public static partial void UnreadableRecord(this ILogger logger, string record);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Released {Holding}: the Service no longer exists.")]
    public static partial void ReleasedOrphan(this ILogger logger, IpamHolding holding);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "IPAM rebuild read {Records} IpAllocation records ({Orphans} of Services that no longer exist), {Legacy} Service annotation records and {Gateways} gateway Deployments.")]
    public static partial void RebuildSources(this ILogger logger, int records, int orphans, int legacy, int gateways);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reserved the recorded address in Kube-OVN's IPAM with Vip {Vip}.")]
    public static partial void Reserved(this ILogger logger, string vip);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted Vip {Vip}: {Why}.")]
    public static partial void DeletedReservation(this ILogger logger, string vip, string why);
}
