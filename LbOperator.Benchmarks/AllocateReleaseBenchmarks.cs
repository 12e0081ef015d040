using BenchmarkDotNet.Attributes;
using LbOperator.Ipam;

namespace LbOperator.Benchmarks;

/// <summary>
/// Cost of one allocate or release. The baseline churns 250 holders in a /24 (4,000 rounds: one million
/// allocations and one million releases); the other rows do the same number of operations in a /8 and an IPv6
/// /64, either churning 250 holders (the CIDR size alone) or holding one million addresses at once (scale).
/// </summary>
[MemoryDiagnoser]
public class AllocateReleaseBenchmarks
{
    private const int Million = 1_000_000;
    private const int Churn = 250;
    private const int Operations = 2 * Million;

    private IpamOwner[] _owners = [];

    [GlobalSetup]
    public void Setup() => _owners = BenchmarkSubnets.Owners(Million);

    [Benchmark(Baseline = true, OperationsPerInvoke = Operations, Description = "/24: 250 held, 1M allocate + 1M release")]
    public int Churn24() => ChurnIn("10.0.0.0/24");

    [Benchmark(OperationsPerInvoke = Operations, Description = "/8: 250 held, 1M allocate + 1M release")]
    public int Churn8() => ChurnIn("10.0.0.0/8");

    [Benchmark(OperationsPerInvoke = Operations, Description = "IPv6 /64: 250 held, 1M allocate + 1M release")]
    public int Churn64() => ChurnIn("fd00::/64");

    [Benchmark(OperationsPerInvoke = Operations, Description = "/8: allocate 1M, then release 1M")]
    public int Million8() => FillAndEmpty("10.0.0.0/8");

    [Benchmark(OperationsPerInvoke = Operations, Description = "IPv6 /64: allocate 1M, then release 1M")]
    public int Million64() => FillAndEmpty("fd00::/64");

    private int ChurnIn(string cidr)
    {
        var ipam = BenchmarkSubnets.NewIpam(cidr);
        var allocated = 0;
        for (var round = 0; round < Million / Churn; round++)
        {
            for (var i = 0; i < Churn; i++)
            {
                allocated += ipam.Allocate(BenchmarkSubnets.Name, _owners[i], AddressRequest.Dynamic) is AllocationResult.Allocated ? 1 : 0;
            }

            for (var i = 0; i < Churn; i++)
            {
                ipam.Release(_owners[i]);
            }
        }

        return allocated;
    }

    private int FillAndEmpty(string cidr)
    {
        var ipam = BenchmarkSubnets.NewIpam(cidr);
        var allocated = 0;
        foreach (var owner in _owners)
        {
            allocated += ipam.Allocate(BenchmarkSubnets.Name, owner, AddressRequest.Dynamic) is AllocationResult.Allocated ? 1 : 0;
        }

        foreach (var owner in _owners)
        {
            ipam.Release(owner);
        }

        return allocated;
    }
}
