namespace LbOperator.Sandbox.Controllers;

/// <summary>
/// The node heartbeat's clockwork, scaled from the grace period as upstream's defaults are to each other: the
/// kubelet renews its Lease every quarter of the lease duration (10 s of 40 s), and the node lifecycle controller
/// looks at the nodes every eighth of the grace period (5 s of 40 s).
/// </summary>
public sealed record NodeTimings(TimeSpan GracePeriod)
{
    public TimeSpan LeaseDuration => GracePeriod;

    public TimeSpan LeaseRenewInterval => GracePeriod / 4;

    public TimeSpan MonitorPeriod => GracePeriod / 8;

    public static NodeTimings From(SandboxOptions options) => new(options.NodeMonitorGracePeriod);
}
