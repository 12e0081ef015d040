namespace LbOperator.Framework.Events;

/// <summary>
/// The Events this publisher wrote recently, by object, reason, message and type, so a repeat becomes a count on
/// the existing Event without reading it. Bounded (least recently used goes first), as client-go's recorder is.
/// </summary>
internal sealed class EventCorrelation(int capacity = 4096)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Key, LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _recency = new();
    private long _lastStamp;

    /// <summary>What makes two Events the same one.</summary>
    public readonly record struct Key(string Object, string Reason, string Message, EventType Type);

    /// <summary>An Event written before and how often it has been reported since.</summary>
    public sealed record Repeated(string Name, int Count);

    /// <summary>The Event to count this report on (its count raised), or null when there is none.</summary>
    public Repeated? Repeat(Key key)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out var node))
            {
                return null;
            }

            node.Value.Count++;
            _recency.Remove(node);
            _recency.AddFirst(node);
            return new Repeated(node.Value.Name, node.Value.Count);
        }
    }

    /// <summary>A new Event named <paramref name="name"/> was written for <paramref name="key"/>.</summary>
    public void Created(Key key, string name)
    {
        lock (_gate)
        {
            if (_entries.Remove(key, out var old))
            {
                _recency.Remove(old);
            }

            _entries[key] = _recency.AddFirst(new Entry(key, name));
            while (_entries.Count > capacity && _recency.Last is { } oldest)
            {
                _recency.RemoveLast();
                _entries.Remove(oldest.Value.Key);
            }
        }
    }

    /// <summary><paramref name="nanos"/>, or one more than the last stamp handed out, so two Events of one instant differ.</summary>
    public long UniqueStamp(long nanos)
    {
        lock (_gate)
        {
            _lastStamp = Math.Max(nanos, _lastStamp + 1);
            return _lastStamp;
        }
    }

    private sealed class Entry(Key key, string name)
    {
        public Key Key { get; } = key;

        public string Name { get; } = name;

        public int Count { get; set; } = 1;
    }
}
