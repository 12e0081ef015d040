using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using System.Text.Json.Nodes;
using LbOperator.Sandbox.Api;
using LbOperator.Sandbox.Resources;
using LbOperator.Sandbox.Storage;

namespace LbOperator.Sandbox.Admission;

/// <summary>
/// Services as kube-apiserver treats them: defaults (type, sessionAffinity, port protocol and targetPort, traffic
/// policies, IP families), ClusterIP allocation from the service CIDRs (single and dual stack), NodePort and
/// healthCheckNodePort allocation, keeping allocated values on update, clearing type-dependent fields on a type
/// change, and validation with kube-apiserver's messages. Allocations are derived from the stored Services, so a
/// deleted Service frees its addresses and ports.
/// </summary>
public sealed class ServiceAdmission(SandboxOptions options, Random random) : IAdmissionPlugin
{
    private static readonly string[] Types = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"];
    private static readonly string[] Protocols = ["TCP", "UDP", "SCTP"];
    private static readonly string[] Policies = ["SingleStack", "PreferDualStack", "RequireDualStack"];
    private static readonly string ServicesKey = ResourceRegistry.StorageKey(BuiltInResources.Services);
    private static readonly StoreIndex ClusterIpIndex = new("service-cluster-ip", (storageKey, svc) =>
        storageKey == ServicesKey
            ? Strings(svc["spec"]?["clusterIPs"]).Select(ip => IPAddress.TryParse(ip, out var a) ? a.ToString() : null).OfType<string>().Distinct(StringComparer.Ordinal)
            : []);

    private static readonly StoreIndex NodePortIndex = new("service-node-port", (storageKey, svc) =>
        storageKey == ServicesKey ? NodePortsOf(svc).Select(p => p.ToString(CultureInfo.InvariantCulture)).Distinct(StringComparer.Ordinal) : []);

    private readonly Lock _gate = new();

    /// <summary>
    /// The store indexes allocation checks read (kube-apiserver keeps allocation bitmaps; these stay derived from the
    /// stored Services, so a deleted Service frees its addresses and ports).
    /// </summary>
    public static IReadOnlyList<StoreIndex> Indexes { get; } = [ClusterIpIndex, NodePortIndex];

    public bool AppliesTo(ResourceDescriptor descriptor) => descriptor == BuiltInResources.Services;

    public void Admit(AdmissionContext context)
    {
        if (context.Subresource == "status")
        {
            return;
        }

        var svc = context.NewObject;
        var spec = svc["spec"] as JsonObject ?? [];
        svc["spec"] = spec;
        if (context.IsCreate)
        {
            svc["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
        }

        var old = context.OldObject?["spec"] as JsonObject;
        var errors = context.Errors;
        var type = Meta.AsString(spec["type"]) ?? "ClusterIP";
        if (!Types.Contains(type))
        {
            errors.Add(FieldError.NotSupported("spec.type", spec["type"], Types));
            return;
        }

        spec["type"] = type;
        if (old is not null)
        {
            KeepAllocatedValues(spec, old, type);
            DropTypeDependentFields(spec, old, type);
        }

        ApplyDefaults(spec, type);
        ValidatePorts(spec, type, errors);
        if (type == "ExternalName")
        {
            if (string.IsNullOrEmpty(Meta.AsString(spec["externalName"])))
            {
                errors.Add(FieldError.Required("spec.externalName"));
            }

            if (Meta.AsString(spec["clusterIP"]) is { Length: > 0 } ip && ip != "None")
            {
                errors.Add(FieldError.Forbidden("spec.clusterIP", "may not be set for ExternalName services"));
            }

            foreach (var field in new[] { "clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy" })
            {
                if (spec[field] is null or JsonArray { Count: 0 })
                {
                    spec.Remove(field);
                }
            }

            return;
        }

        if (errors.Count > 0)
        {
            return;
        }

        lock (_gate)
        {
            AssignClusterIps(context, spec, old, errors);
            if (errors.Count == 0)
            {
                AssignNodePorts(context, spec, type, errors);
            }
        }
    }

    private static void ApplyDefaults(JsonObject spec, string type)
    {
        spec["sessionAffinity"] ??= "None";
        if (Meta.AsString(spec["sessionAffinity"]) == "ClientIP")
        {
            var config = spec["sessionAffinityConfig"] as JsonObject ?? [];
            var clientIp = config["clientIP"] as JsonObject ?? [];
            clientIp["timeoutSeconds"] ??= 10800;
            config["clientIP"] = clientIp;
            spec["sessionAffinityConfig"] = config;
        }

        if (spec["ports"] is JsonArray ports)
        {
            foreach (var port in ports.OfType<JsonObject>())
            {
                port["protocol"] ??= "TCP";
                if (IsZeroTarget(port["targetPort"]))
                {
                    port["targetPort"] = port["port"]?.DeepClone();
                }
            }
        }

        if (type != "ExternalName")
        {
            spec["internalTrafficPolicy"] ??= "Cluster";
        }

        if (type is "NodePort" or "LoadBalancer")
        {
            spec["externalTrafficPolicy"] ??= "Cluster";
        }

        if (type == "LoadBalancer")
        {
            spec["allocateLoadBalancerNodePorts"] ??= true;
        }
    }

    private static bool IsZeroTarget(JsonNode? target) =>
        target is null || Meta.AsInteger(target) == 0 || Meta.AsString(target) == "";

    private static void ValidatePorts(JsonObject spec, string type, List<FieldError> errors)
    {
        var ports = (spec["ports"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var headless = Meta.AsString(spec["clusterIP"]) == "None";
        if (ports.Count == 0 && type != "ExternalName" && !headless)
        {
            errors.Add(FieldError.Required("spec.ports"));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ports.Count; i++)
        {
            var port = ports[i];
            var path = $"spec.ports[{i}]";
            var name = Meta.AsString(port["name"]) ?? "";
            if (ports.Count > 1 && name.Length == 0)
            {
                errors.Add(FieldError.Required($"{path}.name"));
            }
            else if (name.Length > 0)
            {
                foreach (var problem in NameRules.Dns1123Label(name))
                {
                    errors.Add(FieldError.Invalid($"{path}.name", name, problem));
                }

                if (!names.Add(name))
                {
                    errors.Add(FieldError.Duplicate($"{path}.name", JsonValue.Create(name)));
                }
            }

            var number = Meta.AsInteger(port["port"]) ?? 0;
            if (number is < 1 or > 65535)
            {
                errors.Add(FieldError.Invalid($"{path}.port", port["port"] ?? JsonValue.Create(0), "must be between 1 and 65535, inclusive"));
            }

            var protocol = Meta.AsString(port["protocol"]) ?? "";
            if (!Protocols.Contains(protocol))
            {
                errors.Add(FieldError.NotSupported($"{path}.protocol", port["protocol"], Protocols));
            }

            if (!keys.Add($"{number}/{protocol}"))
            {
                errors.Add(FieldError.Duplicate(path, JsonValue.Create($"{number}/{protocol}")));
            }

            switch (port["targetPort"])
            {
                case JsonValue v when Meta.AsInteger(v) is { } target && target is < 1 or > 65535:
                    errors.Add(FieldError.Invalid($"{path}.targetPort", v, "must be between 1 and 65535, inclusive"));
                    break;
                case JsonValue v when Meta.AsString(v) is { } named:
                    foreach (var problem in NameRules.Dns1123Label(named).Take(1))
                    {
                        errors.Add(FieldError.Invalid($"{path}.targetPort", named, "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"));
                    }

                    break;
            }

            if (port["nodePort"] is { } nodePort && Meta.AsInteger(nodePort) is > 0 && type is not ("NodePort" or "LoadBalancer"))
            {
                errors.Add(FieldError.Forbidden($"{path}.nodePort", $"may not be used when `type` is '{type}'"));
            }
        }

        foreach (var (field, allowed) in new[] { ("sessionAffinity", new[] { "None", "ClientIP" }), ("internalTrafficPolicy", new[] { "Cluster", "Local" }), ("externalTrafficPolicy", new[] { "Cluster", "Local" }) })
        {
            if (spec[field] is { } value && !allowed.Contains(Meta.AsString(value)))
            {
                errors.Add(FieldError.NotSupported($"spec.{field}", value, allowed));
            }
        }

        if (type is not ("NodePort" or "LoadBalancer") && spec["externalTrafficPolicy"] is { } etp)
        {
            errors.Add(FieldError.Invalid("spec.externalTrafficPolicy", etp, "may only be set when `type` is 'NodePort' or 'LoadBalancer'"));
        }

        if (type != "LoadBalancer" && spec["allocateLoadBalancerNodePorts"] is not null)
        {
            errors.Add(FieldError.Forbidden("spec.allocateLoadBalancerNodePorts", "may only be used when `type` is 'LoadBalancer'"));
        }

        if (spec["healthCheckNodePort"] is { } hc && Meta.AsInteger(hc) is > 0
            && !(type == "LoadBalancer" && Meta.AsString(spec["externalTrafficPolicy"]) == "Local"))
        {
            errors.Add(FieldError.Invalid("spec.healthCheckNodePort", hc, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
        }
    }

    /// <summary>An update that leaves allocated values out keeps them (kube-apiserver's patchAllocatedValues).</summary>
    private static void KeepAllocatedValues(JsonObject spec, JsonObject old, string type)
    {
        var oldIps = Strings(old["clusterIPs"]);
        if (type != "ExternalName" && oldIps.Count > 0 && Meta.AsString(old["type"]) != "ExternalName")
        {
            if (string.IsNullOrEmpty(Meta.AsString(spec["clusterIP"])))
            {
                spec["clusterIP"] = old["clusterIP"]?.DeepClone();
                spec["clusterIPs"] ??= old["clusterIPs"]?.DeepClone();
            }
            else if (spec["clusterIPs"] is null or JsonArray { Count: 0 } && Meta.AsString(spec["clusterIP"]) == oldIps[0])
            {
                spec["clusterIPs"] = old["clusterIPs"]?.DeepClone();
            }

            spec["ipFamilies"] ??= old["ipFamilies"]?.DeepClone();
            spec["ipFamilyPolicy"] ??= old["ipFamilyPolicy"]?.DeepClone();
        }

        if (type is "NodePort" or "LoadBalancer")
        {
            var oldPorts = (old["ports"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
            foreach (var port in (spec["ports"] as JsonArray)?.OfType<JsonObject>() ?? [])
            {
                if (Meta.AsInteger(port["nodePort"]) is null or 0
                    && oldPorts.FirstOrDefault(o => Meta.AsInteger(o["port"]) == Meta.AsInteger(port["port"]) && (Meta.AsString(o["protocol"]) ?? "TCP") == (Meta.AsString(port["protocol"]) ?? "TCP")) is { } match
                    && Meta.AsInteger(match["nodePort"]) is > 0)
                {
                    port["nodePort"] = match["nodePort"]!.DeepClone();
                }
            }

            if (Meta.AsInteger(spec["healthCheckNodePort"]) is null or 0 && Meta.AsInteger(old["healthCheckNodePort"]) is > 0 && Meta.AsString(spec["externalTrafficPolicy"] ?? old["externalTrafficPolicy"]) == "Local")
            {
                spec["healthCheckNodePort"] = old["healthCheckNodePort"]!.DeepClone();
            }
        }
    }

    /// <summary>A type change clears what only the old type used, unless the client changed it (dropTypeDependentFields).</summary>
    private static void DropTypeDependentFields(JsonObject spec, JsonObject old, string type)
    {
        var oldType = Meta.AsString(old["type"]) ?? "ClusterIP";
        if (oldType == type)
        {
            return;
        }

        void DropIfUnchanged(string field)
        {
            if (Meta.JsonEquals(spec[field], old[field]))
            {
                spec.Remove(field);
            }
        }

        if (type == "ExternalName")
        {
            DropIfUnchanged("clusterIP");
            DropIfUnchanged("clusterIPs");
            DropIfUnchanged("ipFamilies");
            DropIfUnchanged("ipFamilyPolicy");
            DropIfUnchanged("internalTrafficPolicy");
        }

        if (type is not ("NodePort" or "LoadBalancer"))
        {
            var oldPorts = (old["ports"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
            foreach (var port in (spec["ports"] as JsonArray)?.OfType<JsonObject>() ?? [])
            {
                if (port["nodePort"] is { } np && oldPorts.Any(o => Meta.JsonEquals(o["nodePort"], np)))
                {
                    port.Remove("nodePort");
                }
            }

            DropIfUnchanged("externalTrafficPolicy");
        }

        if (type != "LoadBalancer")
        {
            DropIfUnchanged("allocateLoadBalancerNodePorts");
            DropIfUnchanged("loadBalancerClass");
            DropIfUnchanged("healthCheckNodePort");
        }
    }

    private void AssignClusterIps(AdmissionContext context, JsonObject spec, JsonObject? old, List<FieldError> errors)
    {
        var cidrs = options.ServiceCidrs;
        var configured = cidrs.Select(c => c.BaseAddress.AddressFamily).Distinct().ToList();
        var clusterIp = Meta.AsString(spec["clusterIP"]) ?? "";
        var clusterIps = Strings(spec["clusterIPs"]);
        if (clusterIps.Count == 0 && clusterIp.Length > 0)
        {
            clusterIps = [clusterIp];
        }
        else if (clusterIps.Count > 0 && clusterIp.Length > 0 && clusterIps[0] != clusterIp)
        {
            errors.Add(FieldError.Invalid("spec.clusterIPs", spec["clusterIPs"], "first value must match `spec.clusterIP`"));
            return;
        }

        // Downgrading a dual-stack Service to SingleStack keeps only its primary address and family.
        var previousIps = old is null ? [] : Strings(old["clusterIPs"]);
        if (Meta.AsString(spec["ipFamilyPolicy"]) == "SingleStack" && previousIps.Count == 2 && clusterIps.SequenceEqual(previousIps))
        {
            clusterIps = [previousIps[0]];
            spec["clusterIPs"] = new JsonArray(previousIps[0]);
            if (spec["ipFamilies"] is JsonArray { Count: 2 } twoFamilies)
            {
                spec["ipFamilies"] = new JsonArray(twoFamilies[0]!.DeepClone());
            }
        }

        var headless = clusterIps is ["None", ..];
        var hasSelector = spec["selector"] is JsonObject { Count: > 0 };
        var policyText = Meta.AsString(spec["ipFamilyPolicy"]);
        if (policyText is not null && !Policies.Contains(policyText))
        {
            errors.Add(FieldError.NotSupported("spec.ipFamilyPolicy", spec["ipFamilyPolicy"], Policies));
            return;
        }

        var families = new List<AddressFamily>();
        var familyNodes = Strings(spec["ipFamilies"]);
        for (var i = 0; i < familyNodes.Count; i++)
        {
            AddressFamily? family = familyNodes[i] switch { "IPv4" => AddressFamily.InterNetwork, "IPv6" => AddressFamily.InterNetworkV6, _ => null };
            if (family is null)
            {
                errors.Add(FieldError.NotSupported($"spec.ipFamilies[{i}]", JsonValue.Create(familyNodes[i]), ["IPv4", "IPv6"]));
            }
            else if (families.Contains(family.Value))
            {
                errors.Add(FieldError.Duplicate($"spec.ipFamilies[{i}]", JsonValue.Create(familyNodes[i])));
            }
            else
            {
                families.Add(family.Value);
            }
        }

        var parsed = new List<IPAddress>();
        if (!headless)
        {
            for (var i = 0; i < clusterIps.Count; i++)
            {
                if (!IPAddress.TryParse(clusterIps[i], out var ip) || ip.ToString() != clusterIps[i])
                {
                    errors.Add(FieldError.Invalid($"spec.clusterIPs[{i}]", clusterIps[i], "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
                    continue;
                }

                parsed.Add(ip);
                if (i < families.Count && families[i] != ip.AddressFamily)
                {
                    errors.Add(FieldError.Invalid($"spec.ipFamilies[{i}]", JsonValue.Create(AddressMath.FamilyName(families[i])), $"does not match IP family of `clusterIPs[{i}]`"));
                }
            }

            if (parsed.Count == 2 && parsed[0].AddressFamily == parsed[1].AddressFamily)
            {
                errors.Add(FieldError.Invalid("spec.clusterIPs", spec["clusterIPs"], "may specify no more than one IP for each IP family"));
            }
        }

        if (errors.Count > 0)
        {
            return;
        }

        var policy = policyText ?? (clusterIps.Count == 2 || families.Count == 2 ? "RequireDualStack"
            : headless && !hasSelector ? "RequireDualStack"
            : "SingleStack");
        if (policy == "RequireDualStack" && configured.Count < 2)
        {
            if (policyText is null)
            {
                policy = "SingleStack";
            }
            else
            {
                errors.Add(FieldError.Invalid("spec.ipFamilyPolicy", policy, "this cluster is not configured for dual-stack services"));
                return;
            }
        }

        if (policy == "SingleStack" && (clusterIps.Count > 1 || families.Count > 1))
        {
            errors.Add(FieldError.Invalid("spec.ipFamilyPolicy", policy, "must be RequireDualStack or PreferDualStack when multiple IP families are specified"));
            return;
        }

        foreach (var ip in parsed)
        {
            if (!families.Contains(ip.AddressFamily))
            {
                families.Add(ip.AddressFamily);
            }
        }

        if (families.Count == 0)
        {
            families.Add(configured[0]);
        }

        if (policy != "SingleStack" && families.Count == 1 && configured.Count > 1)
        {
            families.Add(configured.First(f => f != families[0]));
        }

        if (policy == "SingleStack" && families.Count == 1 && clusterIps.Count > 1)
        {
            clusterIps = [clusterIps[0]];
        }

        for (var i = 0; i < families.Count; i++)
        {
            if (!configured.Contains(families[i]))
            {
                errors.Add(FieldError.Invalid($"spec.ipFamilies[{i}]", AddressMath.FamilyName(families[i]), "not configured on this cluster"));
                return;
            }
        }

        spec["ipFamilyPolicy"] = policy;
        spec["ipFamilies"] = new JsonArray([.. families.Select(f => (JsonNode)JsonValue.Create(AddressMath.FamilyName(f)))]);
        if (headless)
        {
            spec["clusterIP"] = "None";
            spec["clusterIPs"] = new JsonArray("None");
            return;
        }

        var oldIps = old is null ? [] : Strings(old["clusterIPs"]);
        if (oldIps.Count > 0 && parsed.Count > 0 && oldIps[0] != parsed[0].ToString() && Meta.AsString(old!["type"]) != "ExternalName")
        {
            errors.Add(FieldError.Invalid("spec.clusterIPs[0]", JsonValue.Create(parsed[0].ToString()), "may not change once set"));
            return;
        }

        var used = HeldByOtherService(context, ClusterIpIndex, (IPAddress ip) => ip.ToString());
        var result = new List<IPAddress>();
        for (var i = 0; i < families.Count; i++)
        {
            var family = families[i];
            var cidr = cidrs.First(c => c.BaseAddress.AddressFamily == family);
            var requested = parsed.FirstOrDefault(p => p.AddressFamily == family);
            if (requested is not null)
            {
                var alreadyOurs = oldIps.Contains(requested.ToString());
                if (!alreadyOurs && (!cidr.Contains(requested) || requested.Equals(cidr.BaseAddress)))
                {
                    errors.Add(FieldError.Invalid("spec.clusterIPs", spec["clusterIPs"] ?? new JsonArray(requested.ToString()),
                        $"failed to allocate IP {requested}: the provided IP ({requested}) is not in the valid range. The range of valid IPs is {cidr}"));
                    return;
                }

                if (!alreadyOurs && used(requested))
                {
                    errors.Add(FieldError.Invalid("spec.clusterIPs", spec["clusterIPs"] ?? new JsonArray(requested.ToString()),
                        $"failed to allocate IP {requested}: provided IP is already allocated"));
                    return;
                }

                result.Add(requested);
            }
            else
            {
                var allocated = Allocate(cidr, used);
                if (allocated is null)
                {
                    errors.Add(FieldError.Invalid("spec.clusterIPs", JsonValue.Create(""), $"failed to allocate IP: range is full ({cidr})"));
                    return;
                }

                result.Add(allocated);
            }
        }

        spec["clusterIP"] = result[0].ToString();
        spec["clusterIPs"] = new JsonArray([.. result.Select(r => (JsonNode)JsonValue.Create(r.ToString()))]);
    }

    private IPAddress? Allocate(IPNetwork cidr, Func<IPAddress, bool> used)
    {
        var size = AddressMath.Size(cidr);
        var last = cidr.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? size - 2 : size - 1;
        if (last < 1)
        {
            return null;
        }

        // Random like kube-apiserver's allocator (clients must not guess), reproducible through the seed.
        for (var attempt = 0; attempt < 64; attempt++)
        {
            var offset = 1 + (new BigInteger(random.NextInt64(long.MaxValue)) % last);
            var candidate = AddressMath.At(cidr, offset);
            if (!used(candidate))
            {
                return candidate;
            }
        }

        for (var offset = BigInteger.One; offset <= last; offset++)
        {
            var candidate = AddressMath.At(cidr, offset);
            if (!used(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private void AssignNodePorts(AdmissionContext context, JsonObject spec, string type, List<FieldError> errors)
    {
        if (type is not ("NodePort" or "LoadBalancer"))
        {
            return;
        }

        var used = HeldByOtherService(context, NodePortIndex, (long port) => port.ToString(CultureInfo.InvariantCulture));
        var allocate = type == "NodePort" || Meta.AsBool(spec["allocateLoadBalancerNodePorts"] ?? JsonValue.Create(true));
        var oldPorts = context.OldObject?["spec"]?["ports"] is JsonArray op ? op.OfType<JsonObject>().Select(p => Meta.AsInteger(p["nodePort"]) ?? 0).ToHashSet() : [];
        var ports = (spec["ports"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var mine = new Dictionary<long, string>();
        for (var i = 0; i < ports.Count; i++)
        {
            var port = ports[i];
            var protocol = Meta.AsString(port["protocol"]) ?? "TCP";
            var requested = Meta.AsInteger(port["nodePort"]) ?? 0;
            if (requested == 0)
            {
                if (!allocate)
                {
                    continue;
                }

                var free = FreePort(used, mine);
                if (free is null)
                {
                    errors.Add(FieldError.Invalid($"spec.ports[{i}].nodePort", JsonValue.Create(0), "failed to allocate a nodePort: range is full"));
                    return;
                }

                port["nodePort"] = free.Value;
                mine[free.Value] = protocol;
                continue;
            }

            if (requested < options.NodePortMin || requested > options.NodePortMax)
            {
                errors.Add(FieldError.Invalid($"spec.ports[{i}].nodePort", port["nodePort"], $"provided port is not in the valid range. The range of valid ports is {options.NodePortMin}-{options.NodePortMax}"));
                continue;
            }

            if ((used(requested) && !oldPorts.Contains(requested)) || (mine.TryGetValue(requested, out var p) && p == protocol))
            {
                errors.Add(FieldError.Invalid($"spec.ports[{i}].nodePort", port["nodePort"], "provided port is already allocated"));
                continue;
            }

            mine[requested] = protocol;
        }

        if (type == "LoadBalancer" && Meta.AsString(spec["externalTrafficPolicy"]) == "Local")
        {
            var hc = Meta.AsInteger(spec["healthCheckNodePort"]) ?? 0;
            var oldHc = Meta.AsInteger(context.OldObject?["spec"]?["healthCheckNodePort"]) ?? 0;
            if (hc == 0)
            {
                if (FreePort(used, mine) is { } free)
                {
                    spec["healthCheckNodePort"] = free;
                }
            }
            else if (hc != oldHc && (used(hc) || mine.ContainsKey(hc)))
            {
                errors.Add(FieldError.Invalid("spec.healthCheckNodePort", spec["healthCheckNodePort"], "provided port is already allocated"));
            }
        }
    }

    private long? FreePort(Func<long, bool> used, Dictionary<long, string> mine)
    {
        var span = options.NodePortMax - options.NodePortMin + 1;
        for (var attempt = 0; attempt < 64; attempt++)
        {
            var candidate = options.NodePortMin + random.Next(span);
            if (!used(candidate) && !mine.ContainsKey(candidate))
            {
                return candidate;
            }
        }

        for (long candidate = options.NodePortMin; candidate <= options.NodePortMax; candidate++)
        {
            if (!used(candidate) && !mine.ContainsKey(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Whether a Service other than the one being admitted holds a value (looked up in its index).</summary>
    private static Func<T, bool> HeldByOtherService<T>(AdmissionContext context, StoreIndex index, Func<T, string> indexValue)
    {
        var uid = Meta.Uid(context.NewObject);
        return value => context.Store.ByIndex(index.Name, indexValue(value)).Any(x => Meta.Uid(x.Object) != uid);
    }

    private static IEnumerable<long> NodePortsOf(JsonObject svc)
    {
        foreach (var port in (svc["spec"]?["ports"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            if (Meta.AsInteger(port["nodePort"]) is > 0 and var nodePort)
            {
                yield return nodePort;
            }
        }

        if (Meta.AsInteger(svc["spec"]?["healthCheckNodePort"]) is > 0 and var healthCheck)
        {
            yield return healthCheck;
        }
    }

    private static List<string> Strings(JsonNode? node) =>
        node is JsonArray a ? [.. a.Select(x => x?.ToString() ?? "")] : [];
}
