using System.Reflection;

namespace LbOperator.Release;

/// <summary>
/// This build's version and the two images released with it, the operator's and the gateway's. Both values come
/// from Directory.Build.props (<c>Version</c>, <c>LbOperatorImagePrefix</c>), which the Makefile reads too, so an
/// image tag is never written down a second time and never says <c>latest</c>.
/// </summary>
public static class ReleaseImages
{
    private static readonly Assembly Assembly = typeof(ReleaseImages).Assembly;

    /// <summary>The project version without build metadata, e.g. <c>0.1.0</c> (the informational version may add <c>+commit</c>).</summary>
    public static string Version { get; } =
        (Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];

    /// <summary>Registry and namespace the images are published under, e.g. <c>ghcr.io/lboperator</c>.</summary>
    public static string Prefix { get; } =
        Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == "LbOperatorImagePrefix")?.Value
        ?? throw new InvalidOperationException("the LbOperatorImagePrefix assembly metadata is missing (Directory.Build.props)");

    /// <summary>The operator's image at this version.</summary>
    public static string Operator { get; } = $"{Prefix}/lboperator:{Version}";

    /// <summary>The gateway pods' image at this version.</summary>
    public static string Gateway { get; } = $"{Prefix}/lboperator-gateway:{Version}";
}
