using System.Net;
using System.Net.Sockets;

namespace LbOperator.Ipam;

/// <summary>
/// Outcome of <see cref="IpamService.Allocate"/>. Expected failures are values, not exceptions; each carries a
/// <see cref="Message"/> written for the user (it names the Subnet and the address).
/// </summary>
public abstract record AllocationResult
{
    private AllocationResult()
    {
    }

    public abstract string Message { get; }

    /// <summary>The owner holds <paramref name="Addresses"/> (IPv4 first). <paramref name="Changed"/> is false when it already held exactly these.</summary>
    public sealed record Allocated(string Subnet, IReadOnlyList<IPAddress> Addresses, bool Changed) : AllocationResult
    {
        public override string Message => $"{string.Join(",", Addresses)} from subnet {Subnet}";
    }

    /// <summary>The address is taken: by another owner, or (<paramref name="Holder"/> null) it is the Subnet's gateway.</summary>
    public sealed record Conflict(string Subnet, IPAddress Address, IpamOwner? Holder) : AllocationResult
    {
        public override string Message => Holder is null
            ? $"{Address} is the gateway of subnet {Subnet} and cannot be handed out"
            : $"{Address} of subnet {Subnet} is held by Service {Holder}";
    }

    /// <summary>The address is in use outside this IPAM (<paramref name="Holder"/> says by whom, e.g. a Kube-OVN IP of a pod).</summary>
    public sealed record HeldElsewhere(string Subnet, IPAddress Address, string Holder) : AllocationResult
    {
        public override string Message => $"{Address} of subnet {Subnet} is in use by {Holder}";
    }

    /// <summary>The address is outside the Subnet's CIDR, or its network or broadcast address.</summary>
    public sealed record OutOfRange(string Subnet, IPAddress Address, string Reason) : AllocationResult
    {
        public override string Message => $"{Address} cannot be taken from subnet {Subnet}: {Reason}";
    }

    /// <summary>No free address of <paramref name="Family"/> is left outside excludeIps.</summary>
    public sealed record Exhausted(string Subnet, AddressFamily Family) : AllocationResult
    {
        public override string Message =>
            $"subnet {Subnet} has no free {IpAddressMath.FamilyName(Family)} address left outside spec.excludeIps";
    }

    /// <summary>The request itself is malformed (e.g. two addresses of one family).</summary>
    public sealed record Invalid(string Subnet, string Reason) : AllocationResult
    {
        public override string Message => $"invalid address request for subnet {Subnet}: {Reason}";
    }

    public sealed record SubnetNotFound(string Subnet) : AllocationResult
    {
        public override string Message => $"subnet {Subnet} does not exist (or is not valid)";
    }

    /// <summary>The Subnet is not in effect and could not be applied (e.g. its CIDR overlaps another Subnet's).</summary>
    public sealed record SubnetRefused(string Subnet, string Reason) : AllocationResult
    {
        public override string Message => $"subnet {Subnet} hands out no addresses: {Reason}";
    }
}
