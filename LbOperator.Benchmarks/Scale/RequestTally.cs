using System.Text.Json;

namespace LbOperator.Benchmarks.Scale;

/// <summary>A row of the sandbox's <c>/sandbox/requests</c> answer.</summary>
public sealed record RequestRow(string UserAgent, string Verb, string Resource, int Code, long Count);

/// <summary>Requests of one verb on one resource, for the breakdown below the table.</summary>
public sealed record VerbResourceCount(string Verb, string Resource, long Count, long Failed);

/// <summary>Request counts read from the sandbox, with the sums the report needs.</summary>
public sealed record RequestTally(IReadOnlyList<RequestRow> Rows)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<string> WriteVerbs { get; } = ["create", "update", "patch", "delete", "deletecollection"];

    public static IReadOnlyList<string> ReadVerbs { get; } = ["get", "list", "watch"];

    public static RequestTally Parse(string json) =>
        new(JsonSerializer.Deserialize<Answer>(json, Json)?.Requests ?? throw new InvalidDataException("the sandbox's request counts are not JSON"));

    /// <summary>Only the requests whose agent is not <paramref name="agent"/>.</summary>
    public RequestTally Except(string agent) => new(Rows.Where(r => r.UserAgent != agent).ToList());

    public RequestTally Only(string agent) => new(Rows.Where(r => r.UserAgent == agent).ToList());

    public IReadOnlyList<string> Agents => Rows.Select(r => r.UserAgent).Distinct().Order(StringComparer.Ordinal).ToList();

    public long Total => Rows.Sum(r => r.Count);

    public long Writes => Rows.Where(r => WriteVerbs.Contains(r.Verb)).Sum(r => r.Count);

    public long Reads => Rows.Where(r => ReadVerbs.Contains(r.Verb)).Sum(r => r.Count);

    public long Of(string verb) => Rows.Where(r => r.Verb == verb).Sum(r => r.Count);

    /// <summary>Answers of 400 or more (conflicts, not found, …).</summary>
    public long Failed => Rows.Where(r => r.Code >= 400).Sum(r => r.Count);

    /// <summary>Per verb and resource, writes first, the largest counts first within each.</summary>
    public IReadOnlyList<VerbResourceCount> ByVerbAndResource() => Rows
        .GroupBy(r => (r.Verb, r.Resource))
        .Select(g => new VerbResourceCount(g.Key.Verb, g.Key.Resource, g.Sum(r => r.Count), g.Where(r => r.Code >= 400).Sum(r => r.Count)))
        .OrderBy(c => WriteVerbs.Contains(c.Verb) ? 0 : 1)
        .ThenByDescending(c => c.Count)
        .ThenBy(c => c.Verb, StringComparer.Ordinal)
        .ThenBy(c => c.Resource, StringComparer.Ordinal)
        .ToList();

    private sealed record Answer(long Total, List<RequestRow> Requests);
}
