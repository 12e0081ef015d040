using System.Net;
using k8s.Models;
using LbOperator.Ipam;

namespace LbOperator.LoadBalancing;

/// <summary>
/// The operator's durable record of a Service's allocation: two annotations of its own on the Service, apart from
/// anything the user writes (<c>spec.loadBalancerIP</c>, <c>&lt;provider&gt;.kubernetes.io/ip_address</c>, the
/// subnet annotation). The user's request always decides what the Service gets; the record only tells a restarted
/// operator what each Service already holds, so the IPAM can be rebuilt before anything new is handed out.
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

    /// <summary>The recorded allocation, or null when the Service has none (or an unreadable one).</summary>
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

        return new RecordedAllocation(OwnerOf(service), subnet, addresses, CreatedAt(service));
    }

    /// <summary>Writes the record into <paramref name="service"/>'s annotations; true when that changed them.</summary>
    public static bool Write(V1Service service, string subnet, IReadOnlyList<IPAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(addresses);
        var annotations = service.Metadata.Annotations ??= new Dictionary<string, string>();
        var text = string.Join(",", addresses);
        var changed = !annotations.TryGetValue(AllocatedSubnet, out var oldSubnet) || oldSubnet != subnet
            || !annotations.TryGetValue(AllocatedAddresses, out var oldText) || oldText != text;
        annotations[AllocatedSubnet] = subnet;
        annotations[AllocatedAddresses] = text;
        return changed;
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
