using LbOperator.Entities;
using LbOperator.Ipam;

namespace LbOperator.Cli;

/// <summary>
/// Validates Subnets offline: parse, default, validate, refuse a Subnet overlapping one read before it, and report
/// what the IPAM would offer.
/// </summary>
public sealed class SubnetManifestValidator : IManifestValidator
{
    public bool CanValidate(Manifest manifest) => manifest.Entity is V1Subnet;

    public ManifestVerdict Validate(Manifest manifest, IReadOnlyList<Manifest> all)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var parsed = SubnetParser.Parse((V1Subnet)manifest.Entity!);
        if (!parsed.IsValid)
        {
            return ManifestVerdict.Invalid([.. parsed.Errors.Select(e => e.ToString())]);
        }

        var definition = parsed.Definition;
        var first = all.First(m => m.Entity is V1Subnet other && other.Metadata?.Name == definition.Name);
        if (!ReferenceEquals(first, manifest))
        {
            // Subnets are cluster-scoped: a second object of the same name would silently replace the first.
            return ManifestVerdict.Invalid(
                [$"subnet {definition.Name}: metadata.name \"{definition.Name}\" is already used by the Subnet in {first.Source} (document {first.Document}); Subnet names are cluster-wide, rename one of them"]);
        }

        // Kube-OVN refuses a Subnet overlapping one created before it on the same network; manifests are created in order.
        foreach (var earlier in all.TakeWhile(m => !ReferenceEquals(m, manifest)))
        {
            if (earlier.Entity is V1Subnet other && SubnetParser.Parse(other) is { IsValid: true } theirs
                && SubnetOverlap.Between(definition, theirs.Definition) is { } pair)
            {
                return ManifestVerdict.Invalid(
                    [$"subnet {definition.Name}: {SubnetOverlap.Describe(definition, theirs.Definition, pair.Mine, pair.Theirs, $" in {earlier.Source} (document {earlier.Document})")}"]);
            }
        }

        var ipam = new IpamService();
        ipam.ApplySubnet(definition);
        var usage = ipam.GetStatus(definition.Name)!;
        var available = definition.Protocol == IpProtocol.Dual
            ? $"{usage.V4!.Available} IPv4 + {usage.V6!.Available} IPv6 available"
            : $"{(definition.V4 is null ? usage.V6 : usage.V4)!.Available} available";
        var ownership = definition.IsIpamOnly
            ? ""
            : $" (provider {definition.Provider} belongs to Kube-OVN: LbOperator leaves this Subnet alone)";
        return ManifestVerdict.Ok($"subnet {definition.Name}: ok, {definition.Protocol} {definition.CidrBlock}, {available}{ownership}");
    }
}
