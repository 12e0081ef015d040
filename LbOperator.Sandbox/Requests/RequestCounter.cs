using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace LbOperator.Sandbox.Requests;

/// <summary>One counted kind of API request: who sent it, what it did to which resource, and how it was answered.</summary>
/// <param name="Agent">The User-Agent's product token (<c>lb-bench</c> of <c>lb-bench/1.0 (linux)</c>); <c>unknown</c> when empty.</param>
/// <param name="Verb">The Kubernetes verb: get, list, watch, create, update, patch, delete or deletecollection.</param>
/// <param name="Resource">The plural resource name.</param>
/// <param name="Subresource">The subresource (<c>status</c>, <c>scale</c>, …), or empty.</param>
/// <param name="Code">The HTTP status code of the answer (200 for a watch whose stream opened).</param>
public readonly record struct RequestKey(string Agent, string Verb, string Resource, string Subresource, int Code);

/// <summary>A row of <see cref="RequestCounter.Snapshot"/>; <see cref="Resource"/> carries the subresource as <c>services/status</c>.</summary>
public sealed record RequestCount(string UserAgent, string Verb, string Resource, int Code, long Count);

/// <summary>
/// Counts the sandbox's API requests by <see cref="RequestKey"/>, so a benchmark or a test can tell how many reads and
/// writes each client made. Counting is one dictionary look-up and one interlocked increment; a key seen before
/// allocates nothing. Thread safe.
/// </summary>
public sealed class RequestCounter
{
    /// <summary>Distinct agents remembered; any further ones are counted as <see cref="OtherAgent"/> (the header is the client's to choose).</summary>
    private const int MaxAgents = 256;

    public const string UnknownAgent = "unknown";

    public const string OtherAgent = "other";

    private readonly ConcurrentDictionary<string, string> _agents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<RequestKey, StrongBox<long>> _counts = new();

    public RequestCounter() => _agentLookup = _agents.GetAlternateLookup<ReadOnlySpan<char>>();

    private readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _agentLookup;

    /// <summary>Counts one request.</summary>
    public void Record(string? userAgent, string verb, string resource, string subresource, int code)
    {
        var key = new RequestKey(AgentOf(userAgent), verb, resource, subresource, code);
        if (!_counts.TryGetValue(key, out var counter))
        {
            counter = _counts.GetOrAdd(key, static _ => new StrongBox<long>());
        }

        Interlocked.Increment(ref counter.Value);
    }

    /// <summary>The counts so far, non-zero ones only, ordered by agent, resource, verb and code.</summary>
    public IReadOnlyList<RequestCount> Snapshot() => Collect(static counter => Interlocked.Read(ref counter.Value));

    /// <summary>
    /// Sets every count back to zero and returns what they were, each taken in one atomic step, so a request counted
    /// while this runs lands either in the answer or in the next count, never in neither.
    /// </summary>
    public IReadOnlyList<RequestCount> Reset() => Collect(static counter => Interlocked.Exchange(ref counter.Value, 0));

    /// <summary>The product token of a User-Agent: everything before its first '/' or space.</summary>
    public static ReadOnlySpan<char> ProductToken(ReadOnlySpan<char> userAgent)
    {
        var trimmed = userAgent.TrimStart();
        var end = trimmed.IndexOfAny('/', ' ');
        return end < 0 ? trimmed : trimmed[..end];
    }

    private string AgentOf(string? userAgent)
    {
        var token = ProductToken(userAgent);
        if (token.IsEmpty)
        {
            return UnknownAgent;
        }

        if (_agentLookup.TryGetValue(token, out var agent))
        {
            return agent;
        }

        if (_agents.Count >= MaxAgents)
        {
            return OtherAgent;
        }

        var text = token.ToString();
        return _agents.GetOrAdd(text, text);
    }

    private List<RequestCount> Collect(Func<StrongBox<long>, long> read)
    {
        var rows = new List<RequestCount>();
        foreach (var (key, counter) in _counts)
        {
            var count = read(counter);
            if (count > 0)
            {
                var resource = key.Subresource.Length == 0 ? key.Resource : $"{key.Resource}/{key.Subresource}";
                rows.Add(new RequestCount(key.Agent, key.Verb, resource, key.Code, count));
            }
        }

        return rows
            .OrderBy(r => r.UserAgent, StringComparer.Ordinal)
            .ThenBy(r => r.Resource, StringComparer.Ordinal)
            .ThenBy(r => r.Verb, StringComparer.Ordinal)
            .ThenBy(r => r.Code)
            .ToList();
    }
}
