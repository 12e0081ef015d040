using LbOperator.Ipam;

namespace LbOperator.Benchmarks;

/// <summary>
/// Bytes the IPAM keeps per held address (retained heap after a full GC, owners excluded: they belong to the
/// caller). BenchmarkDotNet's MemoryDiagnoser reports bytes allocated, not kept, so this is measured directly.
/// </summary>
internal static class RetainedMemory
{
    public static void Report(TextWriter output)
    {
        output.WriteLine("| Subnet | held addresses | retained bytes | bytes per held address |");
        output.WriteLine("|---|---:|---:|---:|");
        Measure(output, "10.0.0.0/24", 250);
        Measure(output, "10.0.0.0/8", 1_000_000);
        Measure(output, "fd00::/64", 1_000_000);
        Measure(output, "10.0.0.0/24,fd00::/120", 250);
        Measure(output, "10.0.0.0/8,fd00::/64", 1_000_000);
        MeasureFragmented(output, 100_000);
    }

    private static void Measure(TextWriter output, string cidr, int count)
    {
        var owners = BenchmarkSubnets.Owners(count);
        var before = Heap();
        var ipam = BenchmarkSubnets.NewIpam(cidr);
        foreach (var owner in owners)
        {
            ipam.Allocate(BenchmarkSubnets.Name, owner, AddressRequest.Dynamic);
        }

        Print(output, cidr, ipam, count, Heap() - before);
    }

    /// <summary>Every other address held: one range per holder, the worst case for the range sets.</summary>
    private static void MeasureFragmented(TextWriter output, int count)
    {
        var owners = BenchmarkSubnets.Owners(2 * count);
        var before = Heap();
        var ipam = BenchmarkSubnets.NewIpam("10.0.0.0/8");
        foreach (var owner in owners)
        {
            ipam.Allocate(BenchmarkSubnets.Name, owner, AddressRequest.Dynamic);
        }

        for (var i = 0; i < owners.Length; i += 2)
        {
            ipam.Release(owners[i]);
        }

        Print(output, "10.0.0.0/8, every other address", ipam, count, Heap() - before);
    }

    private static void Print(TextWriter output, string label, IpamService ipam, int count, long bytes)
    {
        GC.KeepAlive(ipam);
        output.WriteLine($"| {label} | {count:N0} | {bytes:N0} | {(double)bytes / count:F0} |");
    }

    private static long Heap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
