using System.Net;

namespace LbOperator.Ipam;

/// <summary>
/// What an owner asks for: the lowest free address of every family of the Subnet (<see cref="Dynamic"/>), or fixed
/// addresses (<see cref="Static"/>, at most one per family). In a dual-stack Subnet, a family without a fixed
/// address gets the lowest free one, so the owner always ends up with one address of each family.
/// </summary>
public sealed record AddressRequest
{
    private AddressRequest(IReadOnlyList<IPAddress> addresses, string? handedOverBy = null)
    {
        StaticAddresses = addresses;
        HandedOverBy = handedOverBy;
    }

    public static AddressRequest Dynamic { get; } = new([]);

    public IReadOnlyList<IPAddress> StaticAddresses { get; }

    /// <summary>
    /// The holder outside this IPAM (see <see cref="IpamService.SetHeldElsewhere"/>) that hands these addresses over to
    /// the owner: a Service taken over from Kube-OVN's lb-svc keeps what Kube-OVN's gateway pod held. Null for a plain request.
    /// </summary>
    public string? HandedOverBy { get; }

    public bool IsDynamic => StaticAddresses.Count == 0;

    public static AddressRequest Static(params IReadOnlyList<IPAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        return new AddressRequest([.. addresses]);
    }

    /// <summary>Fixed addresses that <paramref name="holder"/>, which holds them outside this IPAM, hands over to the owner.</summary>
    public static AddressRequest HandedOver(IReadOnlyList<IPAddress> addresses, string holder)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentException.ThrowIfNullOrEmpty(holder);
        return new AddressRequest([.. addresses], holder);
    }

    public override string ToString() => IsDynamic ? "dynamic" : string.Join(",", StaticAddresses);

    public bool Equals(AddressRequest? other) =>
        other is not null && StaticAddresses.SequenceEqual(other.StaticAddresses) && HandedOverBy == other.HandedOverBy;

    public override int GetHashCode() => StaticAddresses.Count;
}
