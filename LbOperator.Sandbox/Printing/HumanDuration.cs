using System.Globalization;

namespace LbOperator.Sandbox.Printing;

/// <summary>The compact ages kubectl users know from the AGE column: <c>45s</c>, <c>5m10s</c>, <c>3h</c>, <c>12d</c>.</summary>
public static class HumanDuration
{
    public static string Format(TimeSpan age)
    {
        if (age < TimeSpan.FromSeconds(-1))
        {
            return "<invalid>";
        }

        var seconds = (long)Math.Max(0, age.TotalSeconds);
        var minutes = seconds / 60;
        var hours = minutes / 60;
        var days = hours / 24;
        var years = days / 365;
        return seconds switch
        {
            < 60 * 2 => F($"{seconds}s"),
            _ when minutes < 10 => seconds % 60 == 0 ? F($"{minutes}m") : F($"{minutes}m{seconds % 60}s"),
            _ when minutes < 60 * 3 => F($"{minutes}m"),
            _ when hours < 8 => minutes % 60 == 0 ? F($"{hours}h") : F($"{hours}h{minutes % 60}m"),
            _ when hours < 48 => F($"{hours}h"),
            _ when hours < 24 * 8 => hours % 24 == 0 ? F($"{days}d") : F($"{days}d{hours % 24}h"),
            _ when days < 365 * 2 => F($"{days}d"),
            _ when days < 365 * 8 => days % 365 == 0 ? F($"{years}y") : F($"{years}y{days % 365}d"),
            _ => F($"{years}y"),
        };
    }

    /// <summary>The age of an object created at <paramref name="timestamp"/> (RFC 3339), or <c>&lt;unknown&gt;</c>.</summary>
    public static string Since(string? timestamp, DateTimeOffset now) =>
        DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? Format(now - at)
            : "<unknown>";

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
