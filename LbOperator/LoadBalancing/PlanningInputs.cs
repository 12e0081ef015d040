using LbOperator.Entities;
using LbOperator.Ipam;

namespace LbOperator.LoadBalancing;

/// <summary>
/// What <see cref="ServicePlanner.Plan"/> reads besides the Service, gathered by its caller (the controller from the
/// cluster, <c>validate</c> and <c>render</c> from manifests).
/// </summary>
/// <param name="Subnets">Every Subnet there is (Kube-OVN's included: the selector skips them).</param>
/// <param name="NetworkAttachment">The Service's NetworkAttachmentDefinition, as far as it was looked up.</param>
/// <param name="SubnetInEffect">
/// The definition the IPAM uses for a Subnet name (an edit it refused is not in effect), or null when the IPAM does
/// not know that Subnet yet; the planner then parses the object itself.
/// </param>
/// <param name="HeldSubnet">The Subnet the Service already holds addresses in, if any: it may keep them while that Subnet is being deleted.</param>
/// <param name="RequireClusterIp">False only for manifests that have not met an API server yet (it assigns the ClusterIP).</param>
public sealed record PlanningInputs(
    IReadOnlyCollection<V1Subnet> Subnets,
    NetworkAttachmentLookup NetworkAttachment,
    Func<string, SubnetDefinition?> SubnetInEffect,
    string? HeldSubnet = null,
    bool RequireClusterIp = true)
{
    /// <summary>Offline planning: nothing in effect yet, the NAD among <paramref name="nads"/> when given.</summary>
    public static PlanningInputs Offline(
        IReadOnlyCollection<V1Subnet> subnets, Func<string, SubnetDefinition?> subnetInEffect, NetworkAttachmentLookup nad, bool requireClusterIp) =>
        new(subnets, nad, subnetInEffect, null, requireClusterIp);
}
