using System.Text.RegularExpressions;

namespace LbOperator.Sandbox.Discovery;

/// <summary>
/// Kubernetes' API version priority: GA before beta before alpha, higher numbers first (v2, v1, v1beta2, v1beta1,
/// v1alpha1), then versions that do not follow the pattern, alphabetically.
/// </summary>
public sealed partial class KubeVersionOrder : IComparer<string>
{
    public static readonly KubeVersionOrder Instance = new();

    public int Compare(string? x, string? y)
    {
        var (a, b) = (Rank(x ?? ""), Rank(y ?? ""));
        return a.Stability != b.Stability ? a.Stability.CompareTo(b.Stability)
            : a.Major != b.Major ? b.Major.CompareTo(a.Major)
            : a.Minor != b.Minor ? b.Minor.CompareTo(a.Minor)
            : string.CompareOrdinal(x, y);
    }

    private static (int Stability, int Major, int Minor) Rank(string version)
    {
        var match = VersionPattern().Match(version);
        if (!match.Success)
        {
            return (3, 0, 0);
        }

        var major = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var minor = match.Groups[3].Success ? int.Parse(match.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var stability = match.Groups[2].Value switch { "" => 0, "beta" => 1, _ => 2 };
        return (stability, major, minor);
    }

    [GeneratedRegex("^v([0-9]+)(?:(alpha|beta)([0-9]+))?$")]
    private static partial Regex VersionPattern();
}
