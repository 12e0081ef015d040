using System.Globalization;

namespace LbOperator.Gateway;

/// <summary>
/// The VRRP virtual router id (1 to 255) a highly available gateway's pods share. Two gateways with the same id on one
/// physical network would hear each other's advertisements and disturb each other's elections, so the operator keeps
/// the ids of its gateways distinct (<see cref="VrrpRouterIds"/>).
/// </summary>
public readonly record struct VrrpRouterId : IComparable<VrrpRouterId>
{
    public const int Min = 1;
    public const int Max = 255;

    public VrrpRouterId(int value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, Min);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, Max);
        Value = value;
    }

    public int Value { get; }

    /// <summary>The id written as <see cref="ToString"/> writes it, or null for anything else.</summary>
    public static VrrpRouterId? Parse(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= Min and <= Max
            && value.ToString(CultureInfo.InvariantCulture) == text
            ? new VrrpRouterId(value)
            : null;

    public int CompareTo(VrrpRouterId other) => Value.CompareTo(other.Value);

    public static bool operator <(VrrpRouterId left, VrrpRouterId right) => left.CompareTo(right) < 0;

    public static bool operator >(VrrpRouterId left, VrrpRouterId right) => left.CompareTo(right) > 0;

    public static bool operator <=(VrrpRouterId left, VrrpRouterId right) => left.CompareTo(right) <= 0;

    public static bool operator >=(VrrpRouterId left, VrrpRouterId right) => left.CompareTo(right) >= 0;

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
