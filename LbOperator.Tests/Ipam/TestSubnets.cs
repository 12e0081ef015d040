using System.Net;
using LbOperator.Entities;
using LbOperator.Ipam;

namespace LbOperator.Tests.Ipam;

/// <summary>Builds Subnets the way users write them, through the real parser.</summary>
internal static class TestSubnets
{
    public static V1Subnet Manifest(string name, string cidrBlock, string? gateway = null, params string[] excludeIps) => new()
    {
        Metadata = new() { Name = name },
        Spec = new V1SubnetSpec
        {
            CidrBlock = cidrBlock,
            Gateway = gateway,
            ExcludeIps = excludeIps.Length == 0 ? null : [.. excludeIps],
            Provider = "lb-svc-attachment.kube-system",
        },
    };

    public static SubnetDefinition Define(string name, string cidrBlock, string? gateway = null, params string[] excludeIps)
    {
        var result = SubnetParser.Parse(Manifest(name, cidrBlock, gateway, excludeIps));
        if (!result.IsValid)
        {
            throw new AssertionException(string.Join("\n", result.Errors));
        }

        return result.Definition;
    }

    /// <summary>The seed's Subnet: 172.18.0.0/16, gateway 172.18.0.1, excludeIps 172.18.0.0..172.18.0.10.</summary>
    public static SubnetDefinition Seed() => Define("attach-subnet", "172.18.0.0/16", "172.18.0.1", "172.18.0.0..172.18.0.10");

    public static IpamOwner Owner(string name, string uid = "") => new("default", name, uid.Length == 0 ? $"uid-{name}" : uid);

    public static IPAddress Ip(string text) => IPAddress.Parse(text);

    public static IReadOnlyList<string> Addresses(this AllocationResult result) =>
        result.Should().BeOfType<AllocationResult.Allocated>().Subject.Addresses.Select(a => a.ToString()).ToList();
}
