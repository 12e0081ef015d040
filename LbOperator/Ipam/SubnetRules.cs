using LbOperator.Entities;

namespace LbOperator.Ipam;

/// <summary>Which Subnets the operator manages, read straight from the object (valid or not).</summary>
public static class SubnetRules
{
    /// <summary>The provider as Kube-OVN defaults it: empty means <c>ovn</c>.</summary>
    public static string ProviderOf(V1Subnet subnet)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        return string.IsNullOrWhiteSpace(subnet.Spec?.Provider) ? SubnetDefinition.OvnProvider : subnet.Spec.Provider.Trim();
    }

    /// <summary>
    /// True for Subnets whose provider is neither <c>ovn</c> nor <c>*.ovn</c>: this operator hands out their addresses.
    /// The others belong to Kube-OVN and are never touched (no status, no finalizer).
    /// </summary>
    public static bool IsIpamOnly(V1Subnet subnet) => !SubnetDefinition.IsOvnProvider(ProviderOf(subnet));
}
