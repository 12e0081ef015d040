using System.Globalization;
using LbOperator.Cli;

namespace LbOperator.Sandbox.Host;

/// <summary>Durations on the command line as Kubernetes components take them: <c>500ms</c>, <c>2s</c>, <c>1m</c>.</summary>
internal static class Durations
{
    public static TimeSpan Parse(string option, string text)
    {
        var units = new (string Suffix, Func<double, TimeSpan> Make)[] { ("ms", TimeSpan.FromMilliseconds), ("s", TimeSpan.FromSeconds), ("m", TimeSpan.FromMinutes) };
        foreach (var (suffix, make) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(text[..^suffix.Length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
                && value > 0)
            {
                return make(value);
            }
        }

        throw new CliException($"{option} {text}: expected a positive duration such as 500ms, 2s or 1m");
    }
}
