using System.Globalization;

namespace LbOperator.Benchmarks.Scale;

/// <summary>One sample of the Prometheus text format: <c>name{labels} value</c>.</summary>
public sealed record PrometheusSample(string Name, string Labels, double Value);

/// <summary>The samples of a <c>/metrics</c> answer, read just well enough for the operator's gauges and counters.</summary>
public sealed class PrometheusText(IReadOnlyList<PrometheusSample> samples)
{
    public IReadOnlyList<PrometheusSample> Samples { get; } = samples;

    public static PrometheusText Parse(string text)
    {
        var samples = new List<PrometheusSample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var space = line.LastIndexOf(' ');
            if (space <= 0)
            {
                continue;
            }

            var closing = brace >= 0 ? line.LastIndexOf('}') : -1;
            var name = brace >= 0 && brace < space ? line[..brace] : line[..space];
            var labels = closing > brace && brace >= 0 ? line[(brace + 1)..closing] : "";
            if (double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                samples.Add(new PrometheusSample(name, labels, value));
            }
        }

        return new PrometheusText(samples);
    }

    public bool Has(string name) => Samples.Any(s => s.Name == name);

    /// <summary>The sum of every sample of <paramref name="name"/> (0 when there is none).</summary>
    public double Sum(string name) => Samples.Where(s => s.Name == name).Sum(s => s.Value);

    public double? First(string name) => Samples.FirstOrDefault(s => s.Name == name)?.Value;
}
