using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LbOperator.Sandbox.Resources;

namespace LbOperator.Sandbox.Decoding;

/// <summary>
/// What kube-apiserver does to a request body while decoding it into its internal type, before admission sees it:
/// Secret <c>data</c> and ConfigMap <c>binaryData</c> are base64 (<c>[]byte</c>), Secret <c>stringData</c> is merged
/// into <c>data</c> (conversion) and never stored, MicroTime fields are parsed and rewritten in UTC with six digits,
/// and a LoadBalancer Service's ingress addresses get <c>ipMode: VIP</c> (defaulting). A body that cannot be decoded
/// fails the request with Go's error text: 400 for a create or update, 422 on field <c>patch</c> for a patch.
/// </summary>
public static class RequestDecoding
{
    /// <summary>Rewrites <paramref name="obj"/> in place; returns the decoding error, or null.</summary>
    public static string? Decode(ResourceDescriptor d, JsonObject obj)
    {
        if (d == BuiltInResources.Secrets)
        {
            return Secret(obj);
        }

        if (d == BuiltInResources.ConfigMaps)
        {
            return Bytes(obj, "binaryData") ?? DropEmpty(obj, "data", "binaryData");
        }

        if (d == BuiltInResources.Leases)
        {
            return MicroTimeAt(obj, "LeaseSpec", dropNull: true, "spec", "acquireTime")
                ?? MicroTimeAt(obj, "LeaseSpec", dropNull: true, "spec", "renewTime");
        }

        if (d == BuiltInResources.Events || d == BuiltInResources.EventsV1)
        {
            return MicroTimeAt(obj, "Event", dropNull: false, "eventTime")
                ?? MicroTimeAt(obj, "EventSeries", dropNull: false, "series", "lastObservedTime");
        }

        if (d == BuiltInResources.Services)
        {
            DefaultIpMode(obj);
        }

        return null;
    }

    private static string? Secret(JsonObject secret)
    {
        if (Bytes(secret, "data") is { } error)
        {
            return error;
        }

        if (secret["stringData"] is JsonObject { Count: > 0 } stringData)
        {
            var data = secret["data"] as JsonObject ?? [];
            foreach (var (key, value) in stringData)
            {
                data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(Meta.AsString(value) ?? ""));
            }

            secret["data"] = data;
        }

        secret.Remove("stringData");
        return DropEmpty(secret, "data");
    }

    /// <summary>Checks and canonicalises the base64 values of map <paramref name="field"/> (what Go re-encodes).</summary>
    private static string? Bytes(JsonObject obj, string field)
    {
        if (obj[field] is not JsonObject map)
        {
            return null;
        }

        foreach (var (key, value) in map.ToList())
        {
            if (value is null)
            {
                map[key] = "";
            }
            else if (Meta.AsString(value) is { } text)
            {
                if (!GoBase64.TryDecode(text, out var bytes, out var offset))
                {
                    return $"illegal base64 data at input byte {offset}";
                }

                map[key] = Convert.ToBase64String(bytes);
            }
        }

        return null;
    }

    /// <summary>Empty maps are left out of kube-apiserver's answers (omitempty).</summary>
    private static string? DropEmpty(JsonObject obj, params string[] fields)
    {
        foreach (var field in fields)
        {
            if (obj[field] is JsonObject { Count: 0 })
            {
                obj.Remove(field);
            }
        }

        return null;
    }

    private static string? MicroTimeAt(JsonObject obj, string goStruct, bool dropNull, params string[] path)
    {
        var parent = obj;
        foreach (var step in path[..^1])
        {
            if (parent[step] is not JsonObject next)
            {
                return null;
            }

            parent = next;
        }

        var field = path[^1];
        if (!parent.TryGetPropertyValue(field, out var node))
        {
            return null;
        }

        if (node is null)
        {
            if (dropNull)
            {
                parent.Remove(field);
            }

            return null;
        }

        if (Meta.AsString(node) is not { } text)
        {
            var kind = node.GetValueKind() switch
            {
                JsonValueKind.Object => "object",
                JsonValueKind.Array => "array",
                JsonValueKind.Number => "number",
                _ => "bool",
            };
            return $"json: cannot unmarshal {kind} into Go struct field {goStruct}.{string.Join('.', path)} of type string";
        }

        if (!MicroTime.TryParse(text, out var normalized, out var error))
        {
            return error;
        }

        parent[field] = MicroTime.IsZero(normalized) ? null : normalized;
        if (MicroTime.IsZero(normalized) && dropNull)
        {
            parent.Remove(field);
        }

        return null;
    }

    private static readonly string[] IngressOrder = ["ip", "hostname", "ipMode", "ports"];

    /// <summary>SetDefaults_Service: an ingress address of a LoadBalancer without ipMode gets VIP.</summary>
    private static void DefaultIpMode(JsonObject service)
    {
        if (Meta.AsString(service["spec"]?["type"]) != "LoadBalancer" || service["status"]?["loadBalancer"]?["ingress"] is not JsonArray ingress)
        {
            return;
        }

        for (var i = 0; i < ingress.Count; i++)
        {
            if (ingress[i] is JsonObject entry && Meta.AsString(entry["ip"]) is { Length: > 0 } && entry["ipMode"] is null)
            {
                entry["ipMode"] = "VIP";
                var ordered = new JsonObject();
                foreach (var key in IngressOrder.Where(entry.ContainsKey).Concat(entry.Select(kv => kv.Key).Where(k => !IngressOrder.Contains(k))).ToList())
                {
                    entry.TryGetPropertyValue(key, out var value);
                    entry.Remove(key);
                    ordered[key] = value;
                }

                ingress[i] = ordered;
            }
        }
    }
}
