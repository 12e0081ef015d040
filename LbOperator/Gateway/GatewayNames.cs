using System.Security.Cryptography;
using System.Text;

namespace LbOperator.Gateway;

/// <summary>Names of a Service's gateway objects.</summary>
public static class GatewayNames
{
    /// <summary>The longest name or label value Kubernetes accepts everywhere the gateway's name appears.</summary>
    public const int MaxLength = 63;

    private const int HashLength = 8;

    /// <summary>
    /// <c>lb-svc-&lt;service&gt;</c>; when that is longer than 63 characters, its first 54 characters, a dash and the
    /// first 8 hex digits of its SHA-256, so different long names stay different.
    /// </summary>
    public static string Deployment(string serviceName) => Shorten($"lb-svc-{serviceName}");

    public static string Shorten(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length <= MaxLength)
        {
            return name;
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..HashLength];
        return $"{name[..(MaxLength - HashLength - 1)].TrimEnd('-', '.')}-{hash}";
    }
}
