using System.Net;

namespace LbOperator.Ipam;

/// <summary>
/// What an owner asks for: the lowest free address of every family of the Subnet (<see cref="Dynamic"/>), or fixed
/// addresses (<see cref="Static"/>, at most one per family). In a dual-stack Subnet, a family without a fixed
/// address gets the lowest free one, so the owner always ends up with one address of each family.
/// </summary>
public sealed record AddressRequest
{
    private AddressRequest(IReadOnlyList<IPAddress> addresses) => StaticAddresses = addresses;

    public static AddressRequest Dynamic { get; } = new([]);

    public IReadOnlyList<IPAddress> StaticAddresses { get; }

    public bool IsDynamic => StaticAddresses.Count == 0;

    public static AddressRequest Static(params IReadOnlyList<IPAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        return new AddressRequest([.. addresses]);
    }

    public override string ToString() => IsDynamic ? "dynamic" : string.Join(",", StaticAddresses);

    public bool Equals(AddressRequest? other) => other is not null && StaticAddresses.SequenceEqual(other.StaticAddresses);

    public override int GetHashCode() => StaticAddresses.Count;
}
