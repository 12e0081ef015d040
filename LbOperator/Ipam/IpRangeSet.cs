using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LbOperator.Ipam;

/// <summary>
/// A set of addresses of one family kept as sorted, disjoint, non-adjacent ranges. Memory and time depend on the
/// number of ranges, never on how many addresses they cover: an IPv6 /64 costs what an IPv4 /24 costs.
/// Lookups are O(log r); adding or removing may shift the range list (O(r) in the worst case, O(1) when the
/// change extends or trims a range, which is what lowest-free allocation does). Not thread-safe.
/// </summary>
public sealed class IpRangeSet
{
    private readonly List<Span128> _spans;

    public IpRangeSet(AddressFamily family)
        : this(family, [])
    {
    }

    private IpRangeSet(AddressFamily family, List<Span128> spans)
    {
        if (!IpAddressMath.IsSupported(family))
        {
            throw new ArgumentException($"address family {family} is not IPv4 or IPv6", nameof(family));
        }

        Family = family;
        _spans = spans;
    }

    public AddressFamily Family { get; }

    /// <summary>Number of disjoint ranges (adjacent ranges are merged).</summary>
    public int RangeCount => _spans.Count;

    public bool IsEmpty => _spans.Count == 0;

    /// <summary>Number of addresses; saturates at <see cref="UInt128.MaxValue"/>.</summary>
    public UInt128 Count
    {
        get
        {
            var total = UInt128.Zero;
            foreach (var span in _spans)
            {
                total = SaturatingAdd(total, span.Count);
            }

            return total;
        }
    }

    public IEnumerable<IpRange> Ranges => _spans.Select(s => new IpRange(ToAddress(s.First), ToAddress(s.Last)));

    public static IpRangeSet FromRanges(AddressFamily family, IEnumerable<IpRange> ranges)
    {
        var set = new IpRangeSet(family);
        foreach (var range in ranges)
        {
            set.Add(range);
        }

        return set;
    }

    /// <summary>Builds a set from addresses already sorted ascending (duplicates allowed) in one pass.</summary>
    internal static IpRangeSet FromSorted(AddressFamily family, IEnumerable<UInt128> sortedAddresses)
    {
        var spans = new List<Span128>();
        foreach (var value in sortedAddresses)
        {
            if (spans.Count > 0)
            {
                var last = spans[^1];
                if (value < last.First)
                {
                    throw new ArgumentException("addresses are not sorted", nameof(sortedAddresses));
                }

                if (value <= last.Last)
                {
                    continue;
                }

                if (value == last.Last + 1)
                {
                    spans[^1] = last with { Last = value };
                    continue;
                }
            }

            spans.Add(new Span128(value, value));
        }

        return new IpRangeSet(family, spans);
    }

    public IpRangeSet Clone() => new(Family, [.. _spans]);

    public bool Contains(IPAddress address) => address.AddressFamily == Family && Contains(ToNumber(address));

    public void Add(IPAddress address) => Add(ToNumber(address), ToNumber(address));

    public void Add(IpRange range)
    {
        CheckFamily(range.Family);
        Add(ToNumber(range.Start), ToNumber(range.End));
    }

    public void Remove(IPAddress address) => Remove(ToNumber(address), ToNumber(address));

    public void Remove(IpRange range)
    {
        CheckFamily(range.Family);
        Remove(ToNumber(range.Start), ToNumber(range.End));
    }

    /// <summary>The lowest address of <paramref name="within"/> that is not in the set, or null when all are.</summary>
    public IPAddress? FirstFree(IpRange within)
    {
        CheckFamily(within.Family);
        var free = FirstFree(ToNumber(within.Start), ToNumber(within.End));
        return free is { } value ? ToAddress(value) : null;
    }

    /// <summary>A new set holding the addresses of this set and of <paramref name="other"/>.</summary>
    public IpRangeSet Union(IpRangeSet other)
    {
        CheckFamily(other.Family);
        var merged = new List<Span128>(_spans.Count + other._spans.Count);
        int i = 0, j = 0;
        while (i < _spans.Count || j < other._spans.Count)
        {
            var next = j >= other._spans.Count || (i < _spans.Count && _spans[i].First <= other._spans[j].First)
                ? _spans[i++]
                : other._spans[j++];
            if (merged.Count > 0 && (merged[^1].Last == UInt128.MaxValue || next.First <= merged[^1].Last + 1))
            {
                if (next.Last > merged[^1].Last)
                {
                    merged[^1] = merged[^1] with { Last = next.Last };
                }
            }
            else
            {
                merged.Add(next);
            }
        }

        return new IpRangeSet(Family, merged);
    }

    /// <summary>A new set holding the addresses of this set that are not in <paramref name="other"/>.</summary>
    public IpRangeSet Except(IpRangeSet other)
    {
        CheckFamily(other.Family);
        var result = Clone();
        foreach (var span in other._spans)
        {
            result.Remove(span.First, span.Last);
        }

        return result;
    }

    /// <summary>A new set holding the addresses of this set that lie inside <paramref name="range"/>.</summary>
    public IpRangeSet Within(IpRange range)
    {
        CheckFamily(range.Family);
        var first = ToNumber(range.Start);
        var last = ToNumber(range.End);
        var spans = new List<Span128>();
        for (var i = Math.Max(0, FloorIndex(first)); i < _spans.Count && _spans[i].First <= last; i++)
        {
            var span = _spans[i];
            if (span.Last < first)
            {
                continue;
            }

            spans.Add(new Span128(UInt128.Max(span.First, first), UInt128.Min(span.Last, last)));
        }

        return new IpRangeSet(Family, spans);
    }

    /// <summary>Number of addresses in both this set and <paramref name="other"/>, in one merge pass.</summary>
    public UInt128 CountCommon(IpRangeSet other)
    {
        CheckFamily(other.Family);
        var total = UInt128.Zero;
        foreach (var (first, last) in CommonSpans(other))
        {
            total = SaturatingAdd(total, new Span128(first, last).Count);
        }

        return total;
    }

    public bool SetEquals(IpRangeSet other) => Family == other.Family && _spans.SequenceEqual(other._spans);

    /// <summary>Kube-OVN's status notation: ranges joined by commas, each a single address or <c>start-end</c>.</summary>
    public string ToKubeOvnString()
    {
        var text = new StringBuilder();
        foreach (var span in _spans)
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }

            text.Append(ToAddress(span.First));
            if (span.Last != span.First)
            {
                text.Append('-').Append(ToAddress(span.Last));
            }
        }

        return text.ToString();
    }

    public override string ToString() => ToKubeOvnString();

    internal bool Contains(UInt128 value)
    {
        var index = FloorIndex(value);
        return index >= 0 && _spans[index].Last >= value;
    }

    internal void Add(UInt128 first, UInt128 last)
    {
        // Ranges touching or overlapping [first, last] (adjacent ones included) collapse into one.
        var from = first == UInt128.Zero ? 0 : FirstEndingAtOrAfter(first - 1);
        var to = last == UInt128.MaxValue ? _spans.Count - 1 : FirstStartingAfter(last + 1) - 1;
        if (from > to)
        {
            _spans.Insert(from, new Span128(first, last));
            return;
        }

        var merged = new Span128(UInt128.Min(first, _spans[from].First), UInt128.Max(last, _spans[to].Last));
        _spans[from] = merged;
        if (to > from)
        {
            _spans.RemoveRange(from + 1, to - from);
        }
    }

    internal void Remove(UInt128 first, UInt128 last)
    {
        var from = FirstEndingAtOrAfter(first);
        var to = FirstStartingAfter(last) - 1;
        if (from > to)
        {
            return;
        }

        var head = _spans[from];
        var tail = _spans[to];
        Span128? before = head.First < first ? new Span128(head.First, first - 1) : null;
        Span128? after = tail.Last > last ? new Span128(last + 1, tail.Last) : null;
        var replaced = to - from + 1;
        switch (before, after)
        {
            case ({ } b, { } a) when replaced == 1:
                _spans[from] = b;
                _spans.Insert(from + 1, a);
                break;
            case ({ } b, { } a):
                _spans[from] = b;
                _spans[from + 1] = a;
                _spans.RemoveRange(from + 2, replaced - 2);
                break;
            case ({ } b, null):
                _spans[from] = b;
                _spans.RemoveRange(from + 1, replaced - 1);
                break;
            case (null, { } a):
                _spans[from] = a;
                _spans.RemoveRange(from + 1, replaced - 1);
                break;
            default:
                _spans.RemoveRange(from, replaced);
                break;
        }
    }

    internal UInt128? FirstFree(UInt128 first, UInt128 last)
    {
        var index = FloorIndex(first);
        if (index < 0 || _spans[index].Last < first)
        {
            return first;
        }

        // Ranges are merged when adjacent, so the address after a range is free.
        var end = _spans[index].Last;
        return end == UInt128.MaxValue || end + 1 > last ? null : end + 1;
    }

    /// <summary>The ranges common to this set and <paramref name="other"/>, in order (one merge pass).</summary>
    internal IEnumerable<(UInt128 First, UInt128 Last)> CommonSpans(IpRangeSet other)
    {
        int i = 0, j = 0;
        while (i < _spans.Count && j < other._spans.Count)
        {
            var a = _spans[i];
            var b = other._spans[j];
            var first = UInt128.Max(a.First, b.First);
            var last = UInt128.Min(a.Last, b.Last);
            if (first <= last)
            {
                yield return (first, last);
            }

            if (a.Last < b.Last)
            {
                i++;
            }
            else
            {
                j++;
            }
        }
    }

    internal IEnumerable<(UInt128 First, UInt128 Last)> Spans => _spans.Select(s => (s.First, s.Last));

    /// <summary>Index of the last range starting at or before <paramref name="value"/>, or -1.</summary>
    private int FloorIndex(UInt128 value) => FirstStartingAfter(value) - 1;

    /// <summary>Index of the first range whose first address is above <paramref name="value"/> (binary search).</summary>
    private int FirstStartingAfter(UInt128 value)
    {
        int low = 0, high = _spans.Count;
        while (low < high)
        {
            var mid = low + ((high - low) / 2);
            if (_spans[mid].First > value)
            {
                high = mid;
            }
            else
            {
                low = mid + 1;
            }
        }

        return low;
    }

    /// <summary>Index of the first range whose last address is at or above <paramref name="value"/>.</summary>
    private int FirstEndingAtOrAfter(UInt128 value)
    {
        int low = 0, high = _spans.Count;
        while (low < high)
        {
            var mid = low + ((high - low) / 2);
            if (_spans[mid].Last >= value)
            {
                high = mid;
            }
            else
            {
                low = mid + 1;
            }
        }

        return low;
    }

    private static UInt128 SaturatingAdd(UInt128 a, UInt128 b) => UInt128.MaxValue - a < b ? UInt128.MaxValue : a + b;

    private UInt128 ToNumber(IPAddress address)
    {
        CheckFamily(address.AddressFamily);
        return IpAddressMath.ToNumber(address);
    }

    private IPAddress ToAddress(UInt128 value) => IpAddressMath.ToAddress(value, Family);

    private void CheckFamily(AddressFamily family)
    {
        if (family != Family)
        {
            throw new ArgumentException($"an {IpAddressMath.FamilyName(family)} address cannot join an {IpAddressMath.FamilyName(Family)} set");
        }
    }

    private readonly record struct Span128(UInt128 First, UInt128 Last)
    {
        public UInt128 Count => Last - First == UInt128.MaxValue ? UInt128.MaxValue : Last - First + 1;
    }
}
