using System.Text.Json;
using System.Text.RegularExpressions;
using LbOperator.Tests.Testing;

namespace LbOperator.Tests.Metrics;

/// <summary>The Grafana dashboard shipped in config/grafana, and the metric names its queries use.</summary>
internal static partial class GrafanaDashboard
{
    public static string Path { get; } = System.IO.Path.Combine(RepositoryRoot.Path, "config", "grafana", "lboperator-dashboard.json");

    /// <summary>Prefixes of every metric the operator serves (framework, domain, process).</summary>
    public static IReadOnlyList<string> MetricPrefixes { get; } =
        ["controller_runtime_", "workqueue_", "rest_client_", "leader_election_", "operator_", "lboperator_", "process_", "dotnet_"];

    public static JsonDocument Load() => JsonDocument.Parse(File.ReadAllText(Path));

    /// <summary>Every PromQL expression: the panels' targets and the template variables' queries.</summary>
    public static IReadOnlyList<string> Queries(JsonDocument dashboard)
    {
        ArgumentNullException.ThrowIfNull(dashboard);
        var queries = new List<string>();
        foreach (var panel in dashboard.RootElement.GetProperty("panels").EnumerateArray())
        {
            if (panel.TryGetProperty("targets", out var targets))
            {
                queries.AddRange(targets.EnumerateArray().Select(t => t.GetProperty("expr").GetString()!));
            }
        }

        foreach (var variable in dashboard.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray())
        {
            if (variable.GetProperty("type").GetString() == "query")
            {
                queries.Add(variable.GetProperty("definition").GetString()!);
            }
        }

        return queries;
    }

    /// <summary>The metric families a query reads (a histogram's _bucket, _sum and _count read the histogram).</summary>
    public static IReadOnlyList<string> MetricsOf(string query) =>
        [.. Identifier().Matches(query).Select(m => m.Value)
            .Where(token => MetricPrefixes.Any(p => token.StartsWith(p, StringComparison.Ordinal)))
            .Select(token => HistogramSuffix().Replace(token, string.Empty))
            .Distinct(StringComparer.Ordinal)];

    [GeneratedRegex("[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Identifier();

    [GeneratedRegex("_(bucket|sum|count)$")]
    private static partial Regex HistogramSuffix();
}
