using System.Net;
using BenchmarkDotNet.Attributes;
using LbOperator.Ipam;

namespace LbOperator.Benchmarks;

/// <summary>
/// Restart cost: adopting 100,000 recorded allocations, against allocating the same number one by one (baseline).
/// Random addresses leave up to 100,000 separate ranges, the worst case for the range sets.
/// </summary>
[MemoryDiagnoser]
public class RebuildBenchmarks
{
    private const int Count = 100_000;

    private IpamOwner[] _owners = [];
    private RecordedAllocation[] _sequential8 = [];
    private RecordedAllocation[] _random8 = [];
    private RecordedAllocation[] _random64 = [];
    private IpamService _ipam8 = new();
    private IpamService _ipam64 = new();

    [GlobalSetup]
    public void Setup()
    {
        _owners = BenchmarkSubnets.Owners(Count);
        var random = new Random(42);
        var created = DateTimeOffset.UnixEpoch;
        _sequential8 = [.. _owners.Select((o, i) => Record(o, IPAddress.Parse($"10.{(i + 2) >> 16 & 255}.{(i + 2) >> 8 & 255}.{(i + 2) & 255}"), created.AddSeconds(i)))];
        _random8 = [.. Distinct(Count, () => (UInt128)random.Next(2, 1 << 24) | (10u << 24))
            .Select((n, i) => Record(_owners[i], ToV4(n), created.AddSeconds(random.Next())))];
        _random64 = [.. Distinct(Count, () => ((UInt128)0xfd00 << 112) | (ulong)random.NextInt64(2, long.MaxValue))
            .Select((n, i) => Record(_owners[i], ToV6(n), created.AddSeconds(random.Next())))];
        _ipam8 = BenchmarkSubnets.NewIpam("10.0.0.0/8");
        _ipam64 = BenchmarkSubnets.NewIpam("fd00::/64");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Count, Description = "/8: allocate 100k one by one")]
    public int Allocate8()
    {
        var ipam = BenchmarkSubnets.NewIpam("10.0.0.0/8");
        var allocated = 0;
        foreach (var owner in _owners)
        {
            allocated += ipam.Allocate(BenchmarkSubnets.Name, owner, AddressRequest.Dynamic) is AllocationResult.Allocated ? 1 : 0;
        }

        return allocated;
    }

    [Benchmark(OperationsPerInvoke = Count, Description = "/8: rebuild 100k consecutive records")]
    public int RebuildSequential8() => _ipam8.Rebuild(_sequential8).Adopted.Count;

    [Benchmark(OperationsPerInvoke = Count, Description = "/8: rebuild 100k random records")]
    public int RebuildRandom8() => _ipam8.Rebuild(_random8).Adopted.Count;

    [Benchmark(OperationsPerInvoke = Count, Description = "IPv6 /64: rebuild 100k random records")]
    public int RebuildRandom64() => _ipam64.Rebuild(_random64).Adopted.Count;

    private static RecordedAllocation Record(IpamOwner owner, IPAddress address, DateTimeOffset created) =>
        new(owner, BenchmarkSubnets.Name, [address], created);

    private static HashSet<UInt128> Distinct(int count, Func<UInt128> next)
    {
        var seen = new HashSet<UInt128>();
        while (seen.Count < count)
        {
            seen.Add(next());
        }

        return seen;
    }

    private static IPAddress ToV4(UInt128 value) => new(BitConverter.GetBytes((uint)value).Reverse().ToArray());

    private static IPAddress ToV6(UInt128 value)
    {
        var bytes = new byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(bytes, value);
        return new IPAddress(bytes);
    }
}
