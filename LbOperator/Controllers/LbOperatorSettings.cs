using LbOperator.Gateway;

namespace LbOperator.Controllers;

/// <summary>What the user configures about the operator's own behaviour (bound from the CLI options of <c>run</c>).</summary>
public sealed record LbOperatorSettings
{
    /// <summary>How gateway pods run: image, pull policy, resources, placement.</summary>
    public GatewaySettings Gateway { get; init; } = new();

    /// <summary>Whether the operator runs beside Kube-OVN (<see cref="KubeOvnMode"/>); <c>--kube-ovn</c>.</summary>
    public KubeOvnSetting KubeOvn { get; init; } = KubeOvnSetting.Auto;

    /// <summary>How often kube-ovn-controller's <c>--enable-lb-svc</c> is looked at again (<see cref="KubeOvnLbSvcCheck"/>).</summary>
    public TimeSpan KubeOvnCheckInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a new gateway waits for Kube-OVN to confirm the reservation of its address (<see cref="KubeOvnReservations"/>)
    /// before the Service says so with a Warning; it keeps waiting after that.
    /// </summary>
    public TimeSpan KubeOvnReservationGrace { get; init; } = TimeSpan.FromSeconds(10);
}
