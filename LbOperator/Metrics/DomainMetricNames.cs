using LbOperator.Framework.Health;

namespace LbOperator.Metrics;

/// <summary>The names of LbOperator's own metrics (docs/operator.md describes each), and when they are served.</summary>
public static class DomainMetricNames
{
    public const string SubnetAddressesUsed = "lboperator_subnet_addresses_used";
    public const string SubnetAddressesAvailable = "lboperator_subnet_addresses_available";
    public const string Services = "lboperator_services";
    public const string GatewayReady = "lboperator_gateway_ready";

    /// <summary>
    /// True while this replica reconciles and its startup tasks (the IPAM rebuild) are done. A standby's state is
    /// stale, so it serves none of these series: summing over replicas never counts anything twice.
    /// </summary>
    public static bool Serving(OperatorHealth health)
    {
        ArgumentNullException.ThrowIfNull(health);
        return health.IsReconciling && health.StartupComplete;
    }
}
