using System.Net;
using System.Text.Json.Nodes;
using LbOperator.Sandbox.Api;
using LbOperator.Sandbox.Resources;
using LbOperator.Sandbox.Storage;
using Microsoft.Extensions.Logging;

namespace LbOperator.Sandbox.Controllers;

/// <summary>
/// Endpoints and EndpointSlices for Services with a selector: ready pods as addresses, not-ready pods as
/// notReadyAddresses (slices: conditions ready/serving/terminating), target ports resolved by number or by
/// container port name. One slice per address family, owned by the Service. Services without a selector keep
/// whatever endpoints their users write.
/// </summary>
public sealed class EndpointsController(ResourceService api, ILogger<EndpointsController> logger) : Controller(api, logger)
{
    public const string ServiceNameLabel = "kubernetes.io/service-name";
    public const string ManagedByLabel = "endpointslice.kubernetes.io/managed-by";
    public const string ManagedBy = "endpointslice-controller.k8s.io";

    private static readonly IReadOnlySet<string> Keys = new HashSet<string>([Key(BuiltInResources.Services), Key(BuiltInResources.Pods)]);

    /// <summary>Services under <c>namespace/key=value</c> for each pair of their selector: the Services a pod may belong to.</summary>
    public static StoreIndex ServiceSelectorIndex { get; } = new("service-selector", (storageKey, svc) =>
        storageKey == Key(BuiltInResources.Services) ? StoreIndex.Pairs(Meta.Namespace(svc), Meta.StringMap(svc["spec"]?["selector"])) : []);

    protected override IReadOnlySet<string>? Interests => Keys;

    protected override Task HandleAsync(StoreEvent change, CancellationToken cancellationToken)
    {
        var ns = change.Namespace!;
        if (change.StorageKey == Key(BuiltInResources.Services))
        {
            if (change.Type == StoreEventType.Deleted)
            {
                if (change.Previous?["spec"]?["selector"] is JsonObject { Count: > 0 })
                {
                    DeleteQuietly(BuiltInResources.Endpoints, ns, change.Name);
                }
            }
            else
            {
                Reconcile(ns, change.Name);
            }

            return Task.CompletedTask;
        }

        var labels = Meta.Labels(change.Latest);
        var oldLabels = change.Previous is null ? null : Meta.Labels(change.Previous);
        var candidates = Api.Store.Read(tx => StoreIndex.Pairs(ns, labels).Concat(oldLabels is null ? [] : StoreIndex.Pairs(ns, oldLabels))
            .Distinct(StringComparer.Ordinal)
            .SelectMany(pair => tx.ByIndex(ServiceSelectorIndex.Name, pair))
            .Select(x => x.Object)
            .DistinctBy(Meta.Name, StringComparer.Ordinal)
            .OrderBy(Meta.Name, StringComparer.Ordinal)
            .ToList());
        foreach (var svc in candidates)
        {
            var selector = Meta.StringMap(svc["spec"]?["selector"]);
            if (selector.Count == 0)
            {
                continue;
            }

            var match = LabelSelector.FromMap(selector);
            if (match.Matches(labels) || (oldLabels is not null && match.Matches(oldLabels)))
            {
                Reconcile(ns, Meta.Name(svc)!);
            }
        }

        return Task.CompletedTask;
    }

    private void Reconcile(string ns, string name)
    {
        if (Api.TryGet(BuiltInResources.Services, ns, name) is not { } svc)
        {
            return;
        }

        var selector = Meta.StringMap(svc["spec"]?["selector"]);
        if (selector.Count == 0 || Meta.AsString(svc["spec"]?["type"]) == "ExternalName")
        {
            return;
        }

        var publishNotReady = Meta.AsBool(svc["spec"]?["publishNotReadyAddresses"]);
        var match = LabelSelector.FromMap(selector);
        // Every pod the selector matches carries its first pair: those are the only candidates.
        var pods = Api.Store.Read(tx => tx.ByIndex(StoreIndex.ByLabel.Name, StoreIndex.Pairs(ns, selector).First())
                .Where(x => x.StorageKey == Key(BuiltInResources.Pods))
                .Select(x => x.Object)
                .ToList())
            .Where(p => match.Matches(Meta.Labels(p)))
            .Where(p => Meta.AsString(p["status"]?["podIP"]) is { Length: > 0 })
            .Where(p => Meta.AsString(p["status"]?["phase"]) is not ("Succeeded" or "Failed"))
            .OrderBy(p => Meta.Name(p), StringComparer.Ordinal)
            .ToList();
        var servicePorts = (svc["spec"]?["ports"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];

        WriteEndpoints(svc, pods, servicePorts, publishNotReady);
        WriteSlices(svc, pods, servicePorts, publishNotReady);
    }

    private void WriteEndpoints(JsonObject svc, List<JsonObject> pods, List<JsonObject> servicePorts, bool publishNotReady)
    {
        var ns = Meta.Namespace(svc)!;
        var name = Meta.Name(svc)!;
        var subsets = new JsonArray();
        foreach (var group in pods.Where(p => !Meta.IsDeleting(p)).GroupBy(p => ResolvePorts(p, servicePorts).ToJsonString()))
        {
            var ready = new JsonArray();
            var notReady = new JsonArray();
            foreach (var pod in group)
            {
                var address = new JsonObject
                {
                    ["ip"] = Meta.AsString(pod["status"]?["podIP"]),
                    ["nodeName"] = pod["spec"]?["nodeName"]?.DeepClone(),
                    ["targetRef"] = TargetRef(pod),
                };
                (ReplicaSetController.IsReady(pod) || publishNotReady ? ready : notReady).Add(address);
            }

            var subset = new JsonObject();
            if (ready.Count > 0)
            {
                subset["addresses"] = ready;
            }

            if (notReady.Count > 0)
            {
                subset["notReadyAddresses"] = notReady;
            }

            subset["ports"] = JsonNode.Parse(group.Key);
            subsets.Add(subset);
        }

        var labels = Meta.Metadata(svc)["labels"]?.DeepClone() as JsonObject ?? [];
        var desired = new JsonObject { ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = labels } };
        if (subsets.Count > 0)
        {
            desired["subsets"] = subsets;
        }

        if (Api.TryGet(BuiltInResources.Endpoints, ns, name) is null)
        {
            try
            {
                Api.Create(BuiltInResources.Endpoints, ns, desired);
                return;
            }
            catch (ApiException e) when (e.Code == 409)
            {
                // Created meanwhile: update below.
            }
            catch (ApiException e) when (e.Code is 403 or 404)
            {
                return;
            }
        }

        Api.Mutate(BuiltInResources.Endpoints, ns, name, endpoints =>
        {
            if (Meta.JsonEquals(endpoints["subsets"], desired["subsets"]) && Meta.JsonEquals(endpoints["metadata"]?["labels"], labels))
            {
                return false;
            }

            endpoints["subsets"] = desired["subsets"]?.DeepClone();
            if (endpoints["subsets"] is null)
            {
                endpoints.Remove("subsets");
            }

            Meta.Metadata(endpoints)["labels"] = labels.DeepClone();
            return true;
        });
    }

    private void WriteSlices(JsonObject svc, List<JsonObject> pods, List<JsonObject> servicePorts, bool publishNotReady)
    {
        var ns = Meta.Namespace(svc)!;
        var name = Meta.Name(svc)!;
        var families = (svc["spec"]?["ipFamilies"] as JsonArray)?.Select(f => f?.ToString() ?? "IPv4").ToList() ?? ["IPv4"];
        var existing = Api.Store.Read(tx => tx.List(Key(BuiltInResources.EndpointSlices), ns).ToList())
            .Where(s => Meta.Labels(s).GetValueOrDefault(ServiceNameLabel) == name && Meta.Labels(s).GetValueOrDefault(ManagedByLabel) == ManagedBy)
            .ToList();
        var ports = pods.Count > 0 ? ResolvePorts(pods[0], servicePorts) : SlicePortsWithoutPods(servicePorts);
        foreach (var family in families)
        {
            var endpoints = new JsonArray();
            foreach (var pod in pods)
            {
                var addresses = PodAddresses(pod).Where(a => Family(a) == family).Select(a => a.ToString()).ToList();
                if (addresses.Count == 0)
                {
                    continue;
                }

                var terminating = Meta.IsDeleting(pod);
                var ready = ReplicaSetController.IsReady(pod);
                endpoints.Add(new JsonObject
                {
                    ["addresses"] = new JsonArray([.. addresses.Select(a => (JsonNode)JsonValue.Create(a))]),
                    ["conditions"] = new JsonObject
                    {
                        ["ready"] = (ready || publishNotReady) && !terminating,
                        ["serving"] = ready || publishNotReady,
                        ["terminating"] = terminating,
                    },
                    ["nodeName"] = pod["spec"]?["nodeName"]?.DeepClone(),
                    ["targetRef"] = TargetRef(pod),
                });
            }

            var slicePorts = new JsonArray([.. ports.OfType<JsonObject>().Select(p => (JsonNode)new JsonObject
            {
                ["name"] = p["name"]?.DeepClone() ?? "",
                ["port"] = p["port"]?.DeepClone(),
                ["protocol"] = p["protocol"]?.DeepClone(),
            })]);
            var labels = Meta.Metadata(svc)["labels"]?.DeepClone() as JsonObject ?? [];
            labels[ServiceNameLabel] = name;
            labels[ManagedByLabel] = ManagedBy;
            var slice = existing.FirstOrDefault(s => Meta.AsString(s["addressType"]) == family);
            if (slice is null)
            {
                try
                {
                    Api.Create(BuiltInResources.EndpointSlices, ns, new JsonObject
                    {
                        ["metadata"] = new JsonObject
                        {
                            ["generateName"] = name + "-",
                            ["labels"] = labels,
                            ["ownerReferences"] = new JsonArray(ReplicaSetController.OwnerReference(svc)),
                        },
                        ["addressType"] = family,
                        ["endpoints"] = endpoints,
                        ["ports"] = slicePorts,
                    });
                }
                catch (ApiException e) when (e.Code is 403 or 404)
                {
                    return;
                }

                continue;
            }

            Api.Mutate(BuiltInResources.EndpointSlices, ns, Meta.Name(slice)!, current =>
            {
                if (Meta.JsonEquals(current["endpoints"], endpoints) && Meta.JsonEquals(current["ports"], slicePorts) && Meta.JsonEquals(current["metadata"]?["labels"], labels))
                {
                    return false;
                }

                current["endpoints"] = endpoints.DeepClone();
                current["ports"] = slicePorts.DeepClone();
                Meta.Metadata(current)["labels"] = labels.DeepClone();
                return true;
            });
        }

        foreach (var stale in existing.Where(s => !families.Contains(Meta.AsString(s["addressType"]) ?? "")))
        {
            DeleteQuietly(BuiltInResources.EndpointSlices, ns, Meta.Name(stale)!);
        }
    }

    private static JsonArray SlicePortsWithoutPods(List<JsonObject> servicePorts) =>
        new([.. servicePorts.Where(p => p["targetPort"] is JsonValue v && Meta.AsInteger(v) is not null).Select(p => (JsonNode)new JsonObject
        {
            ["name"] = p["name"]?.DeepClone() ?? "",
            ["port"] = p["targetPort"]!.DeepClone(),
            ["protocol"] = p["protocol"]?.DeepClone() ?? "TCP",
        })]);

    /// <summary>The endpoint ports of one pod: each service port's targetPort, by number or by the container port's name.</summary>
    private static JsonArray ResolvePorts(JsonObject pod, List<JsonObject> servicePorts)
    {
        var result = new JsonArray();
        foreach (var sp in servicePorts)
        {
            long? number = sp["targetPort"] switch
            {
                JsonValue v when Meta.AsInteger(v) is { } n => n,
                JsonValue v when Meta.AsString(v) is { } portName => ContainerPort(pod, portName, Meta.AsString(sp["protocol"]) ?? "TCP"),
                _ => Meta.AsInteger(sp["port"]),
            };
            if (number is null)
            {
                continue;
            }

            var port = new JsonObject();
            if (Meta.AsString(sp["name"]) is { Length: > 0 } name)
            {
                port["name"] = name;
            }

            port["port"] = number.Value;
            port["protocol"] = Meta.AsString(sp["protocol"]) ?? "TCP";
            if (sp["appProtocol"] is { } appProtocol)
            {
                port["appProtocol"] = appProtocol.DeepClone();
            }

            result.Add(port);
        }

        return result;
    }

    private static long? ContainerPort(JsonObject pod, string name, string protocol) =>
        (pod["spec"]?["containers"] as JsonArray)?.OfType<JsonObject>()
            .SelectMany(c => (c["ports"] as JsonArray)?.OfType<JsonObject>() ?? [])
            .Where(p => Meta.AsString(p["name"]) == name && (Meta.AsString(p["protocol"]) ?? "TCP") == protocol)
            .Select(p => Meta.AsInteger(p["containerPort"]))
            .FirstOrDefault();

    private static IEnumerable<IPAddress> PodAddresses(JsonObject pod)
    {
        var ips = (pod["status"]?["podIPs"] as JsonArray)?.OfType<JsonObject>().Select(p => Meta.AsString(p["ip"])).ToList()
            ?? [Meta.AsString(pod["status"]?["podIP"])];
        return ips.Select(ip => IPAddress.TryParse(ip, out var a) ? a : null).OfType<IPAddress>();
    }

    private static string Family(IPAddress address) => AddressMath.FamilyName(address.AddressFamily);

    private static JsonObject TargetRef(JsonObject pod) => new()
    {
        ["kind"] = "Pod",
        ["namespace"] = Meta.Namespace(pod),
        ["name"] = Meta.Name(pod),
        ["uid"] = Meta.Uid(pod),
    };
}
