using System.Net;
using LbOperator.Entities;

namespace LbOperator.Ipam;

/// <summary>
/// Kube-OVN's rule that no two Subnets of one network (the same <c>spec.vpc</c> and <c>spec.vlan</c>) share an
/// address: two overlapping pools would hand the same address to two Services. Which of two overlapping Subnets is
/// refused: the one that would come second. A Subnet in effect in the IPAM always stays; of two that are not yet in
/// effect, the older (creationTimestamp, then name) goes first, so the outcome does not depend on which is
/// reconciled first.
/// </summary>
public static class SubnetOverlap
{
    /// <summary>The first CIDR of <paramref name="subject"/> sharing an address with a CIDR of <paramref name="other"/>, when both are on one network.</summary>
    public static (IPNetwork Mine, IPNetwork Theirs)? Between(SubnetDefinition subject, SubnetDefinition other)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(other);
        if (subject.Name == other.Name || !SameNetwork(subject, other))
        {
            return null;
        }

        foreach (var mine in subject.Families)
        {
            if (other.Family(mine.Family) is { } theirs && Intersect(mine.All, theirs.All))
            {
                return (mine.Cidr, theirs.Cidr);
            }
        }

        return null;
    }

    /// <summary>The refusal of <paramref name="subject"/>'s CIDR, naming the other Subnet (and, offline, where it was read), both CIDRs and the fix.</summary>
    public static string Describe(SubnetDefinition subject, SubnetDefinition other, IPNetwork mine, IPNetwork theirs, string? otherSource = null)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(other);
        var network = subject.Vpc.Length == 0 && subject.Vlan.Length == 0
            ? ""
            : $" (vpc \"{subject.Vpc}\", vlan \"{subject.Vlan}\")";
        return $"spec.cidrBlock \"{mine}\" overlaps {theirs} of subnet {other.Name}{otherSource}{network}; " +
            "two Subnets of one network would hand out the same address, and Kube-OVN refuses such a Subnet too; " +
            $"use a CIDR outside {theirs}, another vpc or vlan, or delete one of the two";
    }

    /// <summary>
    /// Why <paramref name="proposed"/>, the parsed spec of <paramref name="subject"/>, must not take effect because of
    /// another of <paramref name="subnets"/>; null when it may. Only attachment (IPAM-only) Subnets count. Another
    /// Subnet blocks it with its definition in effect, or, when it has none, with its valid spec if it is older and
    /// not being deleted (an older Subnet not yet reconciled goes first). A Subnet already in effect with the same
    /// network and CIDRs is never blocked by one that is not in effect: it was there first.
    /// </summary>
    public static string? Blocker(
        V1Subnet subject, SubnetDefinition proposed, IEnumerable<V1Subnet> subnets, Func<string, SubnetDefinition?> inEffect)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(proposed);
        ArgumentNullException.ThrowIfNull(subnets);
        ArgumentNullException.ThrowIfNull(inEffect);
        var current = inEffect(proposed.Name);
        var established = current is not null && SameNetwork(current, proposed)
            && current.Families.Select(f => f.Cidr).SequenceEqual(proposed.Families.Select(f => f.Cidr));
        foreach (var other in subnets)
        {
            var name = other.Metadata?.Name;
            if (name is null || name == proposed.Name || !SubnetRules.IsIpamOnly(other))
            {
                continue;
            }

            var definition = inEffect(name);
            if (definition is null)
            {
                if (established || other.Metadata!.DeletionTimestamp is not null || !IsOlder(other, subject)
                    || SubnetParser.Parse(other) is not { IsValid: true } parsed)
                {
                    continue;
                }

                definition = parsed.Definition;
            }

            if (Between(proposed, definition) is { } pair)
            {
                return Describe(proposed, definition, pair.Mine, pair.Theirs);
            }
        }

        return null;
    }

    /// <summary>Created earlier, or at the same time (or both without a timestamp, as in manifests) and named first.</summary>
    public static bool IsOlder(V1Subnet a, V1Subnet b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var (createdA, createdB) = (a.Metadata?.CreationTimestamp ?? DateTime.MaxValue, b.Metadata?.CreationTimestamp ?? DateTime.MaxValue);
        return createdA != createdB
            ? createdA < createdB
            : string.CompareOrdinal(a.Metadata?.Name, b.Metadata?.Name) < 0;
    }

    private static bool SameNetwork(SubnetDefinition a, SubnetDefinition b) => a.Vpc == b.Vpc && a.Vlan == b.Vlan;

    private static bool Intersect(IpRange a, IpRange b) =>
        IpAddressMath.ToNumber(a.Start) <= IpAddressMath.ToNumber(b.End)
        && IpAddressMath.ToNumber(b.Start) <= IpAddressMath.ToNumber(a.End);
}
