using System.Globalization;
using System.Text;

namespace LbOperator.LoadBalancing;

/// <summary>
/// Keeps user input that messages repeat to a readable size. Conditions and Events name the value a user wrote so
/// they can find it; a 40 KB annotation must still give a message of a few lines, not a 40 KB condition, Event and
/// log line on every retry.
/// </summary>
public static class MessageText
{
    /// <summary>At most this many characters of one quoted value.</summary>
    public const int MaxQuotedLength = 100;

    /// <summary>
    /// At most this many characters of a whole message: events.k8s.io caps an Event's note at 1 KB, and a condition
    /// a person reads with <c>kubectl describe</c> should not be longer.
    /// </summary>
    public const int MaxMessageLength = 1024;

    /// <summary>
    /// <paramref name="value"/> in double quotes, shortened to its first characters and its length when it is
    /// longer than <see cref="MaxQuotedLength"/>; line breaks and other control characters are shown escaped, so a
    /// value can never start a line of its own in a log or a message.
    /// </summary>
    public static string Quote(string? value)
    {
        if (value is null)
        {
            return "(none)";
        }

        var shown = value.Length <= MaxQuotedLength ? value : value[..MaxQuotedLength];
        var text = new StringBuilder(shown.Length + 32).Append('"');
        foreach (var c in shown)
        {
            text.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '"' => "\\\"",
                _ when char.IsControl(c) => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => c.ToString(),
            });
        }

        text.Append('"');
        if (value.Length > MaxQuotedLength)
        {
            text.Insert(text.Length - 1, "...");
            text.Append(CultureInfo.InvariantCulture, $" ({value.Length} characters)");
        }

        return text.ToString();
    }

    /// <summary>
    /// The message itself, cut to <see cref="MaxMessageLength"/> characters with a note of how much was left out; the
    /// last line of defence for messages that repeat input no rule quoted.
    /// </summary>
    public static string Cap(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Length <= MaxMessageLength)
        {
            return message;
        }

        var note = string.Create(CultureInfo.InvariantCulture, $"... ({message.Length - MaxMessageLength} more characters)");
        var keep = MaxMessageLength - note.Length;
        // Never cut a surrogate pair in two.
        if (char.IsHighSurrogate(message[keep - 1]))
        {
            keep--;
        }

        return message[..keep] + note;
    }
}
