using System.Net;
using k8s.Models;
using LbOperator.Ipam;

namespace LbOperator.LoadBalancing;

/// <summary>
/// Reads which address a Service asks for: <c>spec.loadBalancerIP</c> (one address), or the per-family annotation
/// <c>&lt;provider&gt;.kubernetes.io/ip_address: "v4,v6"</c>; neither means the lowest free address of each family.
/// Each address must parse, be of a family the Subnet has, lie inside the Subnet, and appear at most once per family.
/// Whether it is free is the IPAM's business.
/// </summary>
public static class AddressRequestParser
{
    public static RuleResult<AddressRequest> Parse(V1Service service, AttachmentProvider provider, SubnetDefinition subnet)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(subnet);
        var who = $"Service {ServiceNames.Display(service)}";
        var annotationKey = Annotations.IpAddress(provider.Name);
        string? annotation = null;
        service.Metadata?.Annotations?.TryGetValue(annotationKey, out annotation);
        var specAddress = service.Spec?.LoadBalancerIP;

        RuleResult<AddressRequest>? fromAnnotation = string.IsNullOrEmpty(annotation)
            ? null
            : ParseList(annotation, $"{who}: annotation {annotationKey}", subnet);
        RuleResult<AddressRequest>? fromSpec = string.IsNullOrEmpty(specAddress)
            ? null
            : ParseList(specAddress, $"{who}: spec.loadBalancerIP", subnet, dualStackAnnotation: annotationKey);

        if (fromAnnotation is { IsSuccess: false })
        {
            return fromAnnotation;
        }
        if (fromSpec is { IsSuccess: false })
        {
            return fromSpec;
        }
        if (fromAnnotation is not null && fromSpec is not null
            && !fromAnnotation.Value!.StaticAddresses.Contains(fromSpec.Value!.StaticAddresses[0]))
        {
            return RuleResult<AddressRequest>.Failure(
                $"{who}: spec.loadBalancerIP {specAddress} is not among the addresses of annotation {annotationKey} {MessageText.Quote(annotation)}; " +
                "set one of them, or make them agree");
        }
        return fromAnnotation ?? fromSpec ?? RuleResult<AddressRequest>.Success(AddressRequest.Dynamic);
    }

    private static RuleResult<AddressRequest> ParseList(string text, string where, SubnetDefinition subnet, string? dualStackAnnotation = null)
    {
        var entries = text.Split(',', StringSplitOptions.TrimEntries);
        var families = string.Join(" and ", subnet.Families.Select(f => $"{f.FamilyName} {f.Cidr}"));
        if (dualStackAnnotation is not null && entries.Length > 1)
        {
            return RuleResult<AddressRequest>.Failure(
                $"{where} {MessageText.Quote(text)} holds more than one address; for dual-stack use annotation {dualStackAnnotation}: \"v4,v6\"");
        }
        if (entries.Length > subnet.Families.Count)
        {
            return RuleResult<AddressRequest>.Failure(
                $"{where} {MessageText.Quote(text)} lists {entries.Length} addresses, more than the families of Subnet {subnet.Name} ({families}): at most one per family");
        }
        var addresses = new List<IPAddress>();
        foreach (var entry in entries)
        {
            if (!IpAddressText.TryParseAddress(entry, out var address))
            {
                return RuleResult<AddressRequest>.Failure(
                    $"{where} {MessageText.Quote(text)}: {MessageText.Quote(entry)} is not an IP address (accepted: IPv4 like 172.18.0.18 or IPv6 like fd00::12, comma-separated per family)");
            }
            var family = subnet.Family(address.AddressFamily);
            if (family is null)
            {
                return RuleResult<AddressRequest>.Failure(
                    $"{where}: {address} is {IpAddressMath.FamilyName(address.AddressFamily)}, but Subnet {subnet.Name} has only {families}");
            }
            if (!family.Cidr.Contains(address))
            {
                return RuleResult<AddressRequest>.Failure($"{where}: {address} is outside Subnet {subnet.Name} ({family.Cidr})");
            }
            if (addresses.Any(a => a.AddressFamily == address.AddressFamily))
            {
                return RuleResult<AddressRequest>.Failure(
                    $"{where} {MessageText.Quote(text)} has two {family.FamilyName} addresses; give at most one per family (\"v4,v6\")");
            }
            addresses.Add(address);
        }
        return RuleResult<AddressRequest>.Success(AddressRequest.Static([.. addresses.OrderBy(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)]));
    }
}
