using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LbOperator.Sandbox.Controllers.Rollout;

/// <summary>
/// An IntOrString field that counts pods (maxSurge, maxUnavailable, minAvailable): a whole number, or a percent of
/// some total written <c>"25%"</c>. A string without the percent sign is no valid value (<see cref="TryParse"/> fails).
/// </summary>
public readonly record struct IntOrPercent(long Value, bool IsPercent)
{
    public static IntOrPercent Count(long value) => new(value, false);

    public static IntOrPercent Percent(long value) => new(value, true);

    /// <summary>Reads a JSON number or a <c>"N%"</c> string; false for anything else (including null).</summary>
    public static bool TryParse(JsonNode? node, out IntOrPercent value)
    {
        value = default;
        if (node is not JsonValue json)
        {
            return false;
        }

        if (json.GetValueKind() == JsonValueKind.Number)
        {
            if (Meta.AsInteger(json) is { } number)
            {
                value = Count(number);
                return true;
            }

            return false;
        }

        if (json.GetValueKind() == JsonValueKind.String && json.GetValue<string>() is { Length: > 1 } text && text[^1] == '%'
            && text[..^1].All(char.IsAsciiDigit)
            && long.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var percent))
        {
            value = Percent(percent);
            return true;
        }

        return false;
    }

    /// <summary>
    /// The number of pods this stands for out of <paramref name="total"/>: the count itself, or the percent of the
    /// total rounded up or down (a surge rounds up, an allowance of unavailable pods rounds down).
    /// </summary>
    public long Scaled(long total, bool roundUp)
    {
        if (!IsPercent)
        {
            return Value;
        }

        var product = Value * total;
        return roundUp ? (product + 99) / 100 : product / 100;
    }

    public override string ToString() => IsPercent ? $"{Value.ToString(CultureInfo.InvariantCulture)}%" : Value.ToString(CultureInfo.InvariantCulture);
}
