using System.Globalization;
using System.Text;
using Prometheus;

namespace LbOperator.Tests.Testing;

/// <summary>A scrape in the Prometheus text format, parsed: each family's type and every sample.</summary>
internal sealed class PrometheusText
{
    private PrometheusText(IReadOnlyDictionary<string, string> types, IReadOnlyList<MetricSample> samples)
    {
        Types = types;
        Samples = samples;
    }

    /// <summary>Family name → type (counter, gauge, histogram, …), from the <c># TYPE</c> lines.</summary>
    public IReadOnlyDictionary<string, string> Types { get; }

    public IReadOnlyList<MetricSample> Samples { get; }

    public static async Task<PrometheusText> ScrapeAsync(Uri baseAddress)
    {
        using var http = new HttpClient { BaseAddress = baseAddress };
        return Parse(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));
    }

    public static async Task<PrometheusText> CollectAsync(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        return Parse(Encoding.UTF8.GetString(stream.ToArray()));
    }

    /// <summary>The samples of <paramref name="name"/> whose labels include every one of <paramref name="labels"/> ("key=value").</summary>
    public IReadOnlyList<MetricSample> Series(string name, params string[] labels) =>
        [.. Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l[..l.IndexOf('=', StringComparison.Ordinal)], out var v) && v == l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..]))];

    /// <summary>The value of the one sample of <paramref name="name"/> with <paramref name="labels"/>; fails when there is none or several.</summary>
    public double Value(string name, params string[] labels)
    {
        var matching = Series(name, labels);
        if (matching.Count != 1)
        {
            throw new AssertionException(
                $"expected one sample {name}{{{string.Join(",", labels)}}}, found {matching.Count}: {string.Join("; ", Samples.Where(s => s.Name == name))}");
        }

        return matching[0].Value;
    }

    public static PrometheusText Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var samples = new List<MetricSample>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                types[parts[2]] = parts[3];
            }
            else if (!line.StartsWith('#'))
            {
                samples.Add(ParseSample(line));
            }
        }

        return new PrometheusText(types, samples);
    }

    private static MetricSample ParseSample(string line)
    {
        var nameEnd = line.IndexOfAny(['{', ' ']);
        var name = line[..nameEnd];
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = nameEnd;
        if (line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var eq = line.IndexOf('=', i);
                var key = line[i..eq];
                i = eq + 2; // past ="
                var labelValue = new StringBuilder();
                for (; line[i] != '"'; i++)
                {
                    if (line[i] == '\\')
                    {
                        i++;
                        labelValue.Append(line[i] == 'n' ? '\n' : line[i]);
                    }
                    else
                    {
                        labelValue.Append(line[i]);
                    }
                }

                labels[key] = labelValue.ToString();
                i++; // past the closing quote
                if (line[i] == ',')
                {
                    i++;
                }
            }

            i++;
        }

        var value = line[i..].Trim().Split(' ')[0];
        return new MetricSample(name, labels, value switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            _ => double.Parse(value, CultureInfo.InvariantCulture),
        });
    }
}

internal sealed record MetricSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public override string ToString() => $"{Name}{{{string.Join(",", Labels.Select(l => $"{l.Key}=\"{l.Value}\""))}}} {Value.ToString(CultureInfo.InvariantCulture)}";
}
