using System.Net;
using k8s.Models;
using LbOperator.Ipam;

namespace LbOperator.LoadBalancing;

/// <summary>
/// The allocation record of earlier versions: two annotations on the Service. Whoever can edit the Service can
/// write them, so they are no longer the record (that is the operator's IpAllocation objects, see
/// <see cref="AllocationRecords"/>). They are read once, when the IPAM is rebuilt, as the least trusted claim a Service
/// without IpAllocations can make (checked like every record, and never against an IpAllocation), and removed when
/// the Service is next reconciled: that is the upgrade path. The operator never writes them.
/// </summary>
public static class ServiceRecord
{
    /// <summary>The Subnet the Service's addresses come from.</summary>
    public const string AllocatedSubnet = "lboperator.io/allocated-subnet";

    /// <summary>The addresses the Service holds, comma-separated, IPv4 first.</summary>
    public const string AllocatedAddresses = "lboperator.io/allocated-addresses";

    /// <summary>The Service as an IPAM owner (namespace, name and uid).</summary>
    public static IpamOwner OwnerOf(V1Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return new IpamOwner(service.Metadata.NamespaceProperty ?? "default", service.Metadata.Name, service.Metadata.Uid ?? "");
    }

    /// <summary>The allocation the annotations claim, or null when the Service has none (or an unreadable one).</summary>
    public static RecordedAllocation? Read(V1Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var annotations = service.Metadata?.Annotations;
        if (annotations is null
            || !annotations.TryGetValue(AllocatedSubnet, out var subnet) || string.IsNullOrEmpty(subnet)
            || !annotations.TryGetValue(AllocatedAddresses, out var text)
            || ParseAddresses(text) is not { Count: > 0 } addresses)
        {
            return null;
        }

        return new RecordedAllocation(OwnerOf(service), subnet, addresses, CreatedAt(service), RecordSource.ServiceAnnotation);
    }

    /// <summary>Removes the record; true when there was one.</summary>
    public static bool Clear(V1Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var annotations = service.Metadata?.Annotations;
        if (annotations is null)
        {
            return false;
        }

        var removed = annotations.Remove(AllocatedSubnet);
        removed |= annotations.Remove(AllocatedAddresses);
        return removed;
    }

    /// <summary>True when the Service carries a record (whole or partial).</summary>
    public static bool Exists(V1Service service) =>
        service?.Metadata?.Annotations is { } annotations
        && (annotations.ContainsKey(AllocatedSubnet) || annotations.ContainsKey(AllocatedAddresses));

    /// <summary>The Service's creation time: the older Service keeps an address recorded twice.</summary>
    public static DateTimeOffset CreatedAt(V1Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return service.Metadata.CreationTimestamp is { } created
            ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc))
            : DateTimeOffset.MaxValue;
    }

    /// <summary>Parses "a,b" into addresses; null when any entry is not an address.</summary>
    public static IReadOnlyList<IPAddress>? ParseAddresses(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var addresses = new List<IPAddress>();
        foreach (var entry in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!IpAddressText.TryParseAddress(entry, out var address))
            {
                return null;
            }

            addresses.Add(address);
        }

        return addresses;
    }
}
