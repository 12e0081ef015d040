using System.Text.Json;

namespace LbOperator.Benchmarks.Failover;

/// <summary>
/// What the traffic probe saw around one event: the longest gap between answered probes, for new TCP connections and
/// for UDP datagrams. A probe sent every 10 ms makes 10 ms the floor.
/// </summary>
public sealed record DarkTime(TimeSpan Tcp, TimeSpan Udp, int TcpAnswered, int UdpAnswered)
{
    /// <summary>The longer of the two: the time the address did not answer.</summary>
    public TimeSpan Longest => Tcp > Udp ? Tcp : Udp;

    /// <summary>
    /// Reads the probe's JSON. A probe with no answer after some point counts the time from its last answer to its
    /// end; one that was never answered, its whole run.
    /// </summary>
    public static DarkTime Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var probeStart = document.RootElement.GetProperty("start").GetDouble();
        var probeEnd = document.RootElement.GetProperty("end").GetDouble();
        var tcp = document.RootElement.GetProperty("tcp").EnumerateArray().Select(e => e.GetDouble()).ToList();
        var udp = document.RootElement.GetProperty("udp").EnumerateArray().Select(e => e.GetDouble()).ToList();
        return new DarkTime(LongestGap(tcp, probeStart, probeEnd), LongestGap(udp, probeStart, probeEnd), tcp.Count, udp.Count);
    }

    /// <summary>The longest stretch without an answer between the first answer and the end of the run.</summary>
    public static TimeSpan LongestGap(IReadOnlyList<double> answered, double start, double end)
    {
        ArgumentNullException.ThrowIfNull(answered);
        if (answered.Count == 0)
        {
            return TimeSpan.FromSeconds(end - start);
        }
        var sorted = answered.Order().ToList();
        var longest = end - sorted[^1];
        for (var i = 1; i < sorted.Count; i++)
        {
            longest = Math.Max(longest, sorted[i] - sorted[i - 1]);
        }
        return TimeSpan.FromSeconds(longest);
    }
}
