using System.Text.Json.Nodes;

namespace LbOperator.Sandbox.Api;

/// <summary>
/// A parsed label selector in the query-string syntax: <c>a=b</c>, <c>a==b</c>, <c>a!=b</c>, <c>a in (x,y)</c>,
/// <c>a notin (x)</c>, <c>a</c> (exists), <c>!a</c> (does not exist), joined by commas (AND).
/// </summary>
public sealed class LabelSelector
{
    private readonly IReadOnlyList<Requirement> _requirements;

    private LabelSelector(IReadOnlyList<Requirement> requirements) => _requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    public bool IsEmpty => _requirements.Count == 0;

    public bool Matches(IReadOnlyDictionary<string, string> labels) => _requirements.All(r => r.Matches(labels));

    /// <summary>Parses the query-string form; a malformed selector is a 400 BadRequest.</summary>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<Requirement>();
        foreach (var term in SplitTerms(text))
        {
            requirements.Add(ParseTerm(term.Trim(), text));
        }

        return new LabelSelector(requirements);
    }

    /// <summary>The selector a metav1.LabelSelector object (matchLabels, matchExpressions) stands for.</summary>
    public static LabelSelector FromObject(JsonObject? selector)
    {
        if (selector is null)
        {
            return Everything;
        }

        var requirements = new List<Requirement>();
        foreach (var (key, value) in Meta.StringMap(selector["matchLabels"]))
        {
            requirements.Add(new Requirement(key, Operator.In, [value]));
        }

        if (selector["matchExpressions"] is JsonArray expressions)
        {
            foreach (var e in expressions.OfType<JsonObject>())
            {
                var values = e["values"] is JsonArray a ? a.Select(v => v?.ToString() ?? "").ToList() : [];
                var op = Meta.AsString(e["operator"]) switch
                {
                    "In" => Operator.In,
                    "NotIn" => Operator.NotIn,
                    "Exists" => Operator.Exists,
                    _ => Operator.DoesNotExist,
                };
                requirements.Add(new Requirement(Meta.AsString(e["key"]) ?? "", op, values));
            }
        }

        return new LabelSelector(requirements);
    }

    /// <summary>The equality selector a map (a Service's or ReplicaSet's selector) stands for; empty map matches nothing.</summary>
    public static LabelSelector FromMap(IReadOnlyDictionary<string, string> map) =>
        new([.. map.Select(kv => new Requirement(kv.Key, Operator.In, [kv.Value]))]);

    public override string ToString() => string.Join(",", _requirements);

    private static IEnumerable<string> SplitTerms(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return text[start..];
    }

    private static Requirement ParseTerm(string term, string whole)
    {
        if (term.Length == 0)
        {
            throw Bad(whole, "empty requirement");
        }

        if (term.StartsWith('!'))
        {
            return new Requirement(Key(term[1..].Trim(), whole), Operator.DoesNotExist, []);
        }

        var setMatch = System.Text.RegularExpressions.Regex.Match(term, @"^(\S+)\s+(in|notin)\s*\((.*)\)$");
        if (setMatch.Success)
        {
            var values = setMatch.Groups[3].Value.Split(',').Select(v => v.Trim()).Where(v => v.Length > 0).ToList();
            return new Requirement(Key(setMatch.Groups[1].Value, whole), setMatch.Groups[2].Value == "in" ? Operator.In : Operator.NotIn, values);
        }

        foreach (var (symbol, op) in new[] { ("!=", Operator.NotIn), ("==", Operator.In), ("=", Operator.In) })
        {
            var at = term.IndexOf(symbol, StringComparison.Ordinal);
            if (at > 0)
            {
                return new Requirement(Key(term[..at].Trim(), whole), op, [term[(at + symbol.Length)..].Trim()]);
            }
        }

        if (term.Contains(' ', StringComparison.Ordinal) || term.Contains('(', StringComparison.Ordinal))
        {
            throw Bad(whole, $"unable to parse requirement: {term}");
        }

        return new Requirement(Key(term, whole), Operator.Exists, []);
    }

    private static string Key(string key, string whole) =>
        key.Length == 0 || key.Any(char.IsWhiteSpace) ? throw Bad(whole, $"invalid label key \"{key}\"") : key;

    private static ApiException Bad(string selector, string why) =>
        ApiErrors.BadRequest($"unable to parse requirement: {why} (label selector \"{selector}\")");

    private enum Operator
    {
        In,
        NotIn,
        Exists,
        DoesNotExist,
    }

    private sealed record Requirement(string Key, Operator Op, IReadOnlyList<string> Values)
    {
        public bool Matches(IReadOnlyDictionary<string, string> labels) => Op switch
        {
            Operator.In => labels.TryGetValue(Key, out var v) && Values.Contains(v),
            Operator.NotIn => !labels.TryGetValue(Key, out var v) || !Values.Contains(v),
            Operator.Exists => labels.ContainsKey(Key),
            _ => !labels.ContainsKey(Key),
        };

        public override string ToString() => Op switch
        {
            Operator.In when Values.Count == 1 => $"{Key}={Values[0]}",
            Operator.In => $"{Key} in ({string.Join(",", Values)})",
            Operator.NotIn when Values.Count == 1 => $"{Key}!={Values[0]}",
            Operator.NotIn => $"{Key} notin ({string.Join(",", Values)})",
            Operator.Exists => Key,
            _ => $"!{Key}",
        };
    }
}
