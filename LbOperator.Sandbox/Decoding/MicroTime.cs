using System.Globalization;
using System.Text;

namespace LbOperator.Sandbox.Decoding;

/// <summary>
/// metav1.MicroTime as kube-apiserver reads it: Go's <c>time.Parse</c> with the layout
/// <c>2006-01-02T15:04:05.000000Z07:00</c>. Exactly six fractional digits and a zone (<c>Z</c> or <c>±hh:mm</c>) are
/// required, so <c>2024-01-01T00:00:00Z</c> and <c>2024-01-01T00:00:00.123456</c> are refused; failures carry Go's
/// wording, which clients see inside the 400 answer. Accepted values are written back in UTC with six digits.
/// </summary>
public static class MicroTime
{
    public const string Layout = "2006-01-02T15:04:05.000000Z07:00";

    /// <summary>
    /// Parses <paramref name="text"/>; on success <paramref name="normalized"/> is the value as kube-apiserver returns
    /// it, on failure <paramref name="error"/> is Go's message.
    /// </summary>
    public static bool TryParse(string text, out string normalized, out string error)
    {
        var value = Encoding.UTF8.GetBytes(text);
        var reader = new Reader(value);
        normalized = text;
        error = "";
        string Bad(string layoutElement, int at) =>
            $"parsing time {Quote(value)} as {Quote(Encoding.ASCII.GetBytes(Layout))}: cannot parse {Quote(value[at..])} as {Quote(Encoding.ASCII.GetBytes(layoutElement))}";
        string OutOfRange(string what) => $"parsing time {Quote(value)}: {what} out of range";

        var at = reader.Position;
        if (!reader.FixedDigits(4, out var year))
        {
            error = Bad("2006", at);
            return false;
        }

        var parts = new int[Fields.Length];
        for (var i = 0; i < Fields.Length; i++)
        {
            var (separator, element, fixedWidth, limit, name) = Fields[i];
            at = reader.Position;
            if (!reader.Literal(separator))
            {
                error = Bad(((char)separator).ToString(), at);
                return false;
            }

            at = reader.Position;
            if (!reader.Number(fixedWidth, out var number))
            {
                error = Bad(element, at);
                return false;
            }

            if (!limit(number))
            {
                error = OutOfRange(name);
                return false;
            }

            parts[i] = number;
        }

        var (month, day, hour, minute, second) = (parts[0], parts[1], parts[2], parts[3], parts[4]);

        at = reader.Position;
        if (!reader.Fraction(out var microseconds, out var negative))
        {
            error = Bad(".000000", at);
            return false;
        }

        if (negative)
        {
            error = OutOfRange("fractional second");
            return false;
        }

        at = reader.Position;
        var zoneParsed = reader.Zone(out var offsetSeconds, out var zoneRange);
        if (zoneRange is not null)
        {
            error = OutOfRange(zoneRange);
            return false;
        }

        if (!zoneParsed)
        {
            error = Bad("Z07:00", at);
            return false;
        }

        if (!reader.AtEnd)
        {
            error = $"parsing time {Quote(value)}: extra text: {Quote(value[reader.Position..])}";
            return false;
        }

        if (day < 1 || day > DaysIn(month, year))
        {
            error = OutOfRange("day");
            return false;
        }

        if (year >= 1)
        {
            var ticks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks
                + (microseconds * 10L) - (offsetSeconds * TimeSpan.TicksPerSecond);

            // Go's time reaches further than .NET's; such instants are kept as written.
            if (ticks >= DateTime.MinValue.Ticks && ticks <= DateTime.MaxValue.Ticks)
            {
                normalized = Meta.MicroTimestamp(new DateTimeOffset(ticks, TimeSpan.Zero));
            }
        }

        return true;
    }

    /// <summary>The zero time Go decodes <c>null</c> to (and writes back as <c>null</c>).</summary>
    public static bool IsZero(string normalized) => normalized == "0001-01-01T00:00:00.000000Z";

    private static readonly (byte Separator, string Element, bool Fixed, Func<int, bool> InRange, string Name)[] Fields =
    [
        ((byte)'-', "01", true, m => m is >= 1 and <= 12, "month"),
        ((byte)'-', "02", true, _ => true, "day"),
        ((byte)'T', "15", false, h => h < 24, "hour"),
        ((byte)':', "04", true, m => m < 60, "minute"),
        ((byte)':', "05", true, s => s < 60, "second"),
    ];

    private static int DaysIn(int month, int year) => month == 2 && IsLeap(year) ? 29 : DaysBefore[month] - DaysBefore[month - 1];

    private static bool IsLeap(int year) => year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);

    private static readonly int[] DaysBefore = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];

    /// <summary>Go's time package quoting: ASCII kept (quotes and backslashes escaped), other bytes as <c>\xNN</c>.</summary>
    private static string Quote(byte[] bytes)
    {
        var text = new StringBuilder("\"");
        foreach (var b in bytes)
        {
            if (b is < 0x20 or >= 0x80)
            {
                text.Append(CultureInfo.InvariantCulture, $"\\x{b:x2}");
            }
            else
            {
                if (b is (byte)'"' or (byte)'\\')
                {
                    text.Append('\\');
                }

                text.Append((char)b);
            }
        }

        return text.Append('"').ToString();
    }

    private sealed class Reader(byte[] value)
    {
        public int Position { get; private set; }

        public bool AtEnd => Position == value.Length;

        private bool IsDigit(int at) => at < value.Length && value[at] is >= (byte)'0' and <= (byte)'9';

        public bool FixedDigits(int count, out int number)
        {
            number = 0;
            if (value.Length - Position < count)
            {
                return false;
            }

            for (var i = 0; i < count; i++)
            {
                if (!IsDigit(Position + i))
                {
                    return false;
                }

                number = (number * 10) + (value[Position + i] - '0');
            }

            Position += count;
            return true;
        }

        public bool Literal(byte expected)
        {
            if (AtEnd || value[Position] != expected)
            {
                return false;
            }

            Position++;
            return true;
        }

        /// <summary>Go's getnum: two digits, or (when not fixed) one.</summary>
        public bool Number(bool fixedWidth, out int number)
        {
            number = 0;
            if (!IsDigit(Position))
            {
                return false;
            }

            if (!IsDigit(Position + 1))
            {
                if (fixedWidth)
                {
                    return false;
                }

                number = value[Position] - '0';
                Position++;
                return true;
            }

            number = ((value[Position] - '0') * 10) + (value[Position + 1] - '0');
            Position += 2;
            return true;
        }

        /// <summary>A '.' or ',' and exactly six digits (Go's atoi also takes a leading sign).</summary>
        public bool Fraction(out int microseconds, out bool negative)
        {
            microseconds = 0;
            negative = false;
            if (value.Length - Position < 7 || value[Position] is not ((byte)'.' or (byte)','))
            {
                return false;
            }

            var digits = value.AsSpan(Position + 1, 6);
            var start = 0;
            if (digits[0] is (byte)'+' or (byte)'-')
            {
                negative = digits[0] == '-';
                start = 1;
            }

            if (start == digits.Length)
            {
                return false;
            }

            for (var i = start; i < digits.Length; i++)
            {
                if (digits[i] is < (byte)'0' or > (byte)'9')
                {
                    return false;
                }

                microseconds = (microseconds * 10) + (digits[i] - '0');
            }

            negative &= microseconds != 0;
            Position += 7;
            return true;
        }

        /// <summary><c>Z</c>, or <c>±hh:mm</c> (Go tolerates offsets up to 24:60).</summary>
        public bool Zone(out int offsetSeconds, out string? outOfRange)
        {
            offsetSeconds = 0;
            outOfRange = null;
            if (!AtEnd && value[Position] == 'Z')
            {
                Position++;
                return true;
            }

            if (value.Length - Position < 6 || value[Position + 3] != ':')
            {
                return false;
            }

            var sign = value[Position];
            if (!IsDigit(Position + 1) || !IsDigit(Position + 2) || !IsDigit(Position + 4) || !IsDigit(Position + 5))
            {
                return false;
            }

            var hours = ((value[Position + 1] - '0') * 10) + (value[Position + 2] - '0');
            var minutes = ((value[Position + 4] - '0') * 10) + (value[Position + 5] - '0');

            // Go checks the ranges before the sign, and a bad minute wins over a bad hour.
            outOfRange = minutes > 60 ? "time zone offset minute" : hours > 24 ? "time zone offset hour" : null;
            if (sign is not ((byte)'+' or (byte)'-'))
            {
                return false;
            }

            offsetSeconds = ((hours * 60) + minutes) * 60 * (sign == '-' ? -1 : 1);
            Position += 6;
            return true;
        }
    }
}
