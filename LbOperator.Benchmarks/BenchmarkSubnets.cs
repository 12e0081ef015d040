using LbOperator.Entities;
using LbOperator.Ipam;

namespace LbOperator.Benchmarks;

/// <summary>The Subnets and owners the benchmarks share; built once, outside the measured code.</summary>
internal static class BenchmarkSubnets
{
    public const string Name = "bench";

    public static SubnetDefinition Define(string cidrBlock)
    {
        var subnet = new V1Subnet
        {
            Metadata = new() { Name = Name },
            Spec = new V1SubnetSpec { CidrBlock = cidrBlock, Provider = "lb-svc-attachment.kube-system" },
        };
        return SubnetParser.Parse(subnet).Definition
            ?? throw new InvalidOperationException($"benchmark subnet {cidrBlock} is invalid");
    }

    public static IpamService NewIpam(string cidrBlock)
    {
        var ipam = new IpamService();
        ipam.ApplySubnet(Define(cidrBlock));
        return ipam;
    }

    public static IpamOwner[] Owners(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new IpamOwner("bench", $"svc-{i}", $"uid-{i}"))];
}
