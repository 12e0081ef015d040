using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using LbOperator.Sandbox.Api;
using LbOperator.Sandbox.Resources;

namespace LbOperator.Sandbox.Admission;

/// <summary>
/// <c>status.loadBalancer</c> as kube-apiserver 1.32 keeps it. A status write is validated (ValidateLoadBalancerStatus):
/// ingress only on a Service of type LoadBalancer, <c>ip</c> an IP address, <c>ipMode</c> VIP or Proxy and only
/// beside an <c>ip</c> (decoding has defaulted it to VIP), <c>hostname</c> a DNS name. A write to the Service itself
/// that leaves it of another type clears <c>status.loadBalancer</c> (dropTypeDependentFields).
/// </summary>
public sealed class LoadBalancerStatusAdmission : IAdmissionPlugin
{
    private static readonly string[] IpModes = ["Proxy", "VIP"];

    public bool AppliesTo(ResourceDescriptor descriptor) => descriptor == BuiltInResources.Services;

    public void Admit(AdmissionContext context)
    {
        var service = context.NewObject;
        var type = Meta.AsString(service["spec"]?["type"]) ?? "ClusterIP";
        if (context.Subresource != "status")
        {
            if (!context.IsCreate && type != "LoadBalancer" && service["status"] is JsonObject status)
            {
                status["loadBalancer"] = new JsonObject();
            }

            return;
        }

        var ingress = (service["status"]?["loadBalancer"]?["ingress"] as JsonArray)?.ToList() ?? [];
        var errors = context.Errors;
        if (type != "LoadBalancer" && ingress.Count > 0)
        {
            errors.Add(FieldError.Forbidden("status.loadBalancer.ingress", "may only be used when `spec.type` is 'LoadBalancer'"));
            return;
        }

        for (var i = 0; i < ingress.Count; i++)
        {
            var path = $"status.loadBalancer.ingress[{i}]";
            var ip = Meta.AsString(ingress[i]?["ip"]) ?? "";
            var ipMode = ingress[i]?["ipMode"];
            if (ip.Length > 0 && ParseIpSloppy(ip) is null)
            {
                errors.Add(FieldError.Invalid($"{path}.ip", ip, "must be a valid IP address"));
            }

            if (ipMode is null)
            {
                if (ip.Length > 0)
                {
                    errors.Add(FieldError.Required($"{path}.ipMode", "must be specified when `ip` is set"));
                }
            }
            else if (ip.Length == 0)
            {
                errors.Add(FieldError.Forbidden($"{path}.ipMode", "may not be specified when `ip` is not set"));
            }
            else if (!IpModes.Contains(Meta.AsString(ipMode)))
            {
                errors.Add(FieldError.NotSupported($"{path}.ipMode", ipMode, IpModes));
            }

            if (Meta.AsString(ingress[i]?["hostname"]) is { Length: > 0 } hostname)
            {
                foreach (var problem in NameRules.Dns1123Subdomain(hostname))
                {
                    errors.Add(FieldError.Invalid($"{path}.hostname", hostname, problem));
                }

                if (ParseIpSloppy(hostname) is not null)
                {
                    errors.Add(FieldError.Invalid($"{path}.hostname", hostname, "must be a DNS name, not an IP address"));
                }
            }
        }
    }

    /// <summary>
    /// netutils.ParseIPSloppy: Go's net.ParseIP, which also reads IPv4 parts with leading zeros as decimal. Neither
    /// takes .NET's shorthands (<c>1</c>, <c>0x7f.1</c>), zones or brackets.
    /// </summary>
    public static IPAddress? ParseIpSloppy(string text)
    {
        if (text.Contains(':', StringComparison.Ordinal))
        {
            return text.IndexOfAny(['%', '[', ']', '/']) < 0 && IPAddress.TryParse(text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6
                ? v6
                : null;
        }

        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            return null;
        }

        var bytes = new byte[4];
        for (var i = 0; i < 4; i++)
        {
            if (parts[i].Length == 0 || !parts[i].All(char.IsAsciiDigit))
            {
                return null;
            }

            var digits = parts[i].TrimStart('0');
            if (digits.Length > 3 || (digits.Length > 0 && int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture) > 255))
            {
                return null;
            }

            bytes[i] = (byte)(digits.Length == 0 ? 0 : int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture));
        }

        return new IPAddress(bytes);
    }
}
