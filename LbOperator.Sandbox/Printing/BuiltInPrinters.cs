using System.Text.Json.Nodes;
using static LbOperator.Sandbox.Printing.Fields;

namespace LbOperator.Sandbox.Printing;

/// <summary>A kind's table columns and how one object fills them.</summary>
public sealed record RowPrinter(IReadOnlyList<TableColumn> Columns, Func<JsonObject, DateTimeOffset, JsonNode?[]> Cells);

/// <summary>The columns of <c>kubectl get</c> for the built-in kinds the sandbox serves, as kube-apiserver prints them.</summary>
public static class BuiltInPrinters
{
    private static readonly TableColumn Name = TableColumn.NameColumn;
    private static readonly TableColumn Age = TableColumn.AgeColumn;

    /// <summary>The printer of a built-in kind, or null when the kind has no special columns.</summary>
    public static RowPrinter? For(string group, string kind) => (group, kind) switch
    {
        ("", "Service") => Services,
        ("", "Pod") => Pods,
        ("apps", "Deployment") => Deployments,
        ("apps", "ReplicaSet") => ReplicaSets,
        ("", "Namespace") => Namespaces,
        ("", "Endpoints") => Endpoints,
        ("", "Event") => CoreEvents,
        ("events.k8s.io", "Event") => Events,
        ("", "ConfigMap") => ConfigMaps,
        ("", "Secret") => Secrets,
        ("", "ServiceAccount") => ServiceAccounts,
        ("", "Node") => Nodes,
        ("coordination.k8s.io", "Lease") => Leases,
        ("policy", "PodDisruptionBudget") => PodDisruptionBudgets,
        ("apiextensions.k8s.io", "CustomResourceDefinition") => CustomResourceDefinitions,
        _ => null,
    };

    private static string Age_(JsonObject o, DateTimeOffset now) => HumanDuration.Since(Text(o, "metadata", "creationTimestamp"), now);

    private static string ObjectName(JsonObject o) => Text(o, "metadata", "name") ?? "";

    private static readonly RowPrinter Services = new(
        [
            Name,
            new("Type", "string", "The type of the service: ClusterIP, NodePort, LoadBalancer or ExternalName."),
            new("Cluster-IP", "string", "The cluster-internal address of the service."),
            new("External-IP", "string", "The addresses the service is reachable at from outside the cluster."),
            new("Port(s)", "string", "The ports of the service, with the node port when there is one."),
            Age,
            new("Selector", "string", "The labels of the pods the service routes to.", 1),
        ],
        (o, now) =>
        [
            ObjectName(o),
            Text(o, "spec", "type") ?? "ClusterIP",
            OrNone(Text(o, "spec", "clusterIP")),
            ServiceExternalIp(o),
            ServicePorts(o),
            Age_(o, now),
            Labels(At(o, "spec", "selector")),
        ]);

    /// <summary>The EXTERNAL-IP column: load-balancer ingress first, <c>&lt;pending&gt;</c> while a LoadBalancer has none.</summary>
    public static string ServiceExternalIp(JsonObject service)
    {
        var externalIps = List(service, "spec", "externalIPs").Select(ip => Text(ip)).OfType<string>().ToList();
        switch (Text(service, "spec", "type"))
        {
            case "LoadBalancer":
                var ingress = Objects(service, "status", "loadBalancer", "ingress")
                    .Select(i => Text(i, "ip") ?? Text(i, "hostname")).OfType<string>().ToList();
                var all = ingress.Concat(externalIps).ToList();
                return all.Count > 0 ? string.Join(',', all) : "<pending>";
            case "ExternalName":
                return OrNone(Text(service, "spec", "externalName"));
            default:
                return externalIps.Count > 0 ? string.Join(',', externalIps) : "<none>";
        }
    }

    /// <summary>The PORT(S) column: <c>80:30056/TCP,443/TCP</c>.</summary>
    public static string ServicePorts(JsonObject service)
    {
        var ports = Objects(service, "spec", "ports").Select(p =>
        {
            var protocol = Text(p, "protocol") ?? "TCP";
            var nodePort = Number(p, "nodePort");
            return nodePort != 0 ? $"{Number(p, "port")}:{nodePort}/{protocol}" : $"{Number(p, "port")}/{protocol}";
        }).ToList();
        return ports.Count > 0 ? string.Join(',', ports) : "<none>";
    }

    private static readonly RowPrinter Pods = new(
        [
            Name,
            new("Ready", "string", "The number of ready containers out of all containers."),
            new("Status", "string", "The aggregate status of the containers in this pod."),
            new("Restarts", "string", "The number of times the containers have restarted."),
            Age,
            new("IP", "string", "The IP address of the pod.", 1),
            new("Node", "string", "The node the pod is scheduled on.", 1),
            new("Nominated Node", "string", "The node the pod is nominated to run on.", 1),
            new("Readiness Gates", "string", "The pod's readiness gates that are met.", 1),
        ],
        (o, now) =>
        {
            var statuses = Objects(o, "status", "containerStatuses").ToList();
            var total = List(o, "spec", "containers").Count;
            var ready = statuses.Count(s => At(s, "ready")?.GetValue<bool>() == true);
            var gates = List(o, "spec", "readinessGates").Count;
            return
            [
                ObjectName(o),
                $"{ready}/{total}",
                PodStatus(o),
                Invariant(statuses.Sum(s => Number(s, "restartCount"))),
                Age_(o, now),
                OrNone(Text(o, "status", "podIP")),
                OrNone(Text(o, "spec", "nodeName")),
                OrNone(Text(o, "status", "nominatedNodeName")),
                gates == 0 ? "<none>" : $"{ConditionsTrue(o, List(o, "spec", "readinessGates").Select(g => Text(g, "conditionType")))}/{gates}",
            ];
        });

    private static int ConditionsTrue(JsonObject pod, IEnumerable<string?> types) =>
        types.Count(t => Objects(pod, "status", "conditions").Any(c => Text(c, "type") == t && Text(c, "status") == "True"));

    /// <summary>The STATUS column of a pod: the reason a container waits or ended, Terminating, or the phase.</summary>
    public static string PodStatus(JsonObject pod)
    {
        var reason = Text(pod, "status", "reason") ?? Text(pod, "status", "phase") ?? "Pending";
        var initStatuses = Objects(pod, "status", "initContainerStatuses").ToList();
        for (var i = 0; i < initStatuses.Count; i++)
        {
            var state = At(initStatuses[i], "state");
            if (Text(state, "terminated", "exitCode") is { } exit && exit != "0")
            {
                return $"Init:{Text(state, "terminated", "reason") ?? "Error"}";
            }

            if (At(state, "terminated") is null)
            {
                var waiting = Text(state, "waiting", "reason");
                return waiting is not null && waiting != "PodInitializing"
                    ? $"Init:{waiting}"
                    : $"Init:{i}/{List(pod, "spec", "initContainers").Count}";
            }
        }

        foreach (var status in Objects(pod, "status", "containerStatuses").Reverse())
        {
            var state = At(status, "state");
            if (Text(state, "waiting", "reason") is { Length: > 0 } waiting)
            {
                reason = waiting;
            }
            else if (At(state, "terminated") is JsonObject terminated)
            {
                reason = Text(terminated, "reason") ?? $"ExitCode:{Number(terminated, "exitCode")}";
            }
        }

        if (At(pod, "metadata", "deletionTimestamp") is not null)
        {
            reason = Text(pod, "status", "reason") == "NodeLost" ? "Unknown" : "Terminating";
        }

        return reason;
    }

    private static readonly TableColumn Containers = new("Containers", "string", "Names of each container in the template.", 1);
    private static readonly TableColumn Images = new("Images", "string", "Images referenced by each container in the template.", 1);
    private static readonly TableColumn Selector = new("Selector", "string", "Label selector for pods.", 1);

    private static string ContainerNames(JsonObject o) => string.Join(',', Objects(o, "spec", "template", "spec", "containers").Select(c => Text(c, "name")));

    private static string ContainerImages(JsonObject o) => string.Join(',', Objects(o, "spec", "template", "spec", "containers").Select(c => Text(c, "image")));

    private static string SelectorText(JsonObject o)
    {
        var labels = At(o, "spec", "selector", "matchLabels") as JsonObject;
        var expressions = Objects(o, "spec", "selector", "matchExpressions")
            .Select(e => $"{Text(e, "key")} {Text(e, "operator")?.ToLowerInvariant()} ({string.Join(',', List(e, "values").Select(v => Text(v)))})");
        var parts = (labels is { Count: > 0 } ? [Labels(labels)] : Array.Empty<string>()).Concat(expressions).ToList();
        return parts.Count > 0 ? string.Join(',', parts) : "<none>";
    }

    private static long Replicas(JsonObject o) => At(o, "spec", "replicas") is null ? 1 : Number(o, "spec", "replicas");

    private static readonly RowPrinter Deployments = new(
        [
            Name,
            new("Ready", "string", "Number of ready pods out of the desired replicas."),
            new("Up-to-date", "integer", "Total number of non-terminated pods that have the desired template spec."),
            new("Available", "integer", "Total number of available pods (ready for at least minReadySeconds)."),
            Age, Containers, Images, Selector,
        ],
        (o, now) =>
        [
            ObjectName(o),
            $"{Number(o, "status", "readyReplicas")}/{Replicas(o)}",
            Number(o, "status", "updatedReplicas"),
            Number(o, "status", "availableReplicas"),
            Age_(o, now),
            ContainerNames(o),
            ContainerImages(o),
            SelectorText(o),
        ]);

    private static readonly RowPrinter ReplicaSets = new(
        [
            Name,
            new("Desired", "integer", "Number of desired pods."),
            new("Current", "integer", "Number of actual running pods."),
            new("Ready", "integer", "Number of ready pods."),
            Age, Containers, Images, Selector,
        ],
        (o, now) =>
        [
            ObjectName(o),
            Replicas(o),
            Number(o, "status", "replicas"),
            Number(o, "status", "readyReplicas"),
            Age_(o, now),
            ContainerNames(o),
            ContainerImages(o),
            SelectorText(o),
        ]);

    private static readonly RowPrinter Namespaces = new(
        [Name, new("Status", "string", "The status of the namespace."), Age],
        (o, now) => [ObjectName(o), Text(o, "status", "phase") ?? "Active", Age_(o, now)]);

    private static readonly RowPrinter Endpoints = new(
        [Name, new("Endpoints", "string", "Endpoints of the service."), Age],
        (o, now) => [ObjectName(o), EndpointsText(o), Age_(o, now)]);

    private static string EndpointsText(JsonObject o)
    {
        var all = new List<string>();
        foreach (var subset in Objects(o, "subsets"))
        {
            var ports = Objects(subset, "ports").Select(p => Number(p, "port")).ToList();
            foreach (var address in Objects(subset, "addresses"))
            {
                var ip = Text(address, "ip");
                all.AddRange(ports.Count == 0 ? [ip ?? ""] : ports.Select(p => $"{ip}:{p}"));
            }
        }

        return all.Count switch
        {
            0 => "<none>",
            <= 3 => string.Join(',', all),
            _ => $"{string.Join(',', all.Take(3))} + {all.Count - 3} more...",
        };
    }

    private static readonly RowPrinter CoreEvents = new(
        [
            new("Last Seen", "string", "Time since the event was last seen."),
            new("Type", "string", "Type of this event (Normal, Warning)."),
            new("Reason", "string", "Why the action was taken."),
            new("Object", "string", "The object this event is about."),
            new("Subobject", "string", "The part of the object this event is about.", 1),
            new("Source", "string", "The component reporting this event.", 1),
            new("Message", "string", "A human-readable description of the event."),
            new("First Seen", "string", "Time since the event was first seen.", 1),
            new("Count", "string", "The number of times this event has occurred.", 1),
            new("Name", "string", "Name must be unique within a namespace.", 1, "name"),
        ],
        (o, now) =>
        [
            HumanDuration.Since(Text(o, "lastTimestamp") ?? Text(o, "eventTime") ?? Text(o, "metadata", "creationTimestamp"), now),
            Text(o, "type") ?? "",
            Text(o, "reason") ?? "",
            $"{Text(o, "involvedObject", "kind")?.ToLowerInvariant()}/{Text(o, "involvedObject", "name")}",
            Text(o, "involvedObject", "fieldPath") ?? "",
            Text(o, "source", "component") ?? Text(o, "reportingComponent") ?? "",
            Text(o, "message") ?? "",
            HumanDuration.Since(Text(o, "firstTimestamp") ?? Text(o, "eventTime") ?? Text(o, "metadata", "creationTimestamp"), now),
            Invariant(Math.Max(1, Number(o, "count"))),
            ObjectName(o),
        ]);

    private static readonly RowPrinter Events = new(
        [
            new("Last Seen", "string", "Time since the event was last seen."),
            new("Type", "string", "Type of this event (Normal, Warning)."),
            new("Reason", "string", "Why the action was taken."),
            new("Object", "string", "The object this event is about."),
            new("Message", "string", "A human-readable description of the event."),
            new("Name", "string", "Name must be unique within a namespace.", 1, "name"),
        ],
        (o, now) =>
        [
            HumanDuration.Since(Text(o, "series", "lastObservedTime") ?? Text(o, "eventTime") ?? Text(o, "deprecatedLastTimestamp") ?? Text(o, "metadata", "creationTimestamp"), now),
            Text(o, "type") ?? "",
            Text(o, "reason") ?? "",
            $"{Text(o, "regarding", "kind")?.ToLowerInvariant()}/{Text(o, "regarding", "name")}",
            Text(o, "note") ?? "",
            ObjectName(o),
        ]);

    private static int DataCount(JsonObject o) =>
        ((At(o, "data") as JsonObject)?.Count ?? 0) + ((At(o, "binaryData") as JsonObject)?.Count ?? 0);

    private static readonly RowPrinter ConfigMaps = new(
        [Name, new("Data", "integer", "Number of data entries."), Age],
        (o, now) => [ObjectName(o), DataCount(o), Age_(o, now)]);

    private static readonly RowPrinter Secrets = new(
        [Name, new("Type", "string", "The type of the secret."), new("Data", "integer", "Number of data entries."), Age],
        (o, now) => [ObjectName(o), Text(o, "type") ?? "Opaque", (At(o, "data") as JsonObject)?.Count ?? 0, Age_(o, now)]);

    private static readonly RowPrinter ServiceAccounts = new(
        [Name, new("Secrets", "integer", "Number of secrets of the service account."), Age],
        (o, now) => [ObjectName(o), List(o, "secrets").Count, Age_(o, now)]);

    private static readonly RowPrinter Nodes = new(
        [
            Name,
            new("Status", "string", "The readiness of the node."),
            new("Roles", "string", "The roles of the node."),
            Age,
            new("Version", "string", "Kubelet version reported by the node."),
            new("Internal-IP", "string", "The node's internal address.", 1),
        ],
        (o, now) =>
        [
            ObjectName(o),
            Objects(o, "status", "conditions").FirstOrDefault(c => Text(c, "type") == "Ready") is { } ready && Text(ready, "status") == "True" ? "Ready" : "NotReady",
            NodeRoles(o),
            Age_(o, now),
            Text(o, "status", "nodeInfo", "kubeletVersion") ?? "",
            OrNone(Objects(o, "status", "addresses").Where(a => Text(a, "type") == "InternalIP").Select(a => Text(a, "address")).FirstOrDefault()),
        ]);

    private static string NodeRoles(JsonObject o)
    {
        const string prefix = "node-role.kubernetes.io/";
        var roles = (At(o, "metadata", "labels") as JsonObject ?? []).Select(l => l.Key)
            .Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Select(k => k[prefix.Length..]).Order(StringComparer.Ordinal).ToList();
        return roles.Count > 0 ? string.Join(',', roles) : "<none>";
    }

    private static readonly RowPrinter Leases = new(
        [Name, new("Holder", "string", "The holder of the lease."), Age],
        (o, now) => [ObjectName(o), Text(o, "spec", "holderIdentity") ?? "", Age_(o, now)]);

    private static readonly RowPrinter PodDisruptionBudgets = new(
        [
            Name,
            new("Min Available", "string", "How many (or what share of) selected pods must stay available."),
            new("Max Unavailable", "string", "How many (or what share of) selected pods may be unavailable."),
            new("Allowed Disruptions", "integer", "How many selected pods may be evicted now, as the disruption controller last computed."),
            Age,
        ],
        (o, now) =>
        [
            ObjectName(o),
            Text(o, "spec", "minAvailable") ?? "N/A",
            Text(o, "spec", "maxUnavailable") ?? "N/A",
            Number(o, "status", "disruptionsAllowed"),
            Age_(o, now),
        ]);

    private static readonly RowPrinter CustomResourceDefinitions = new(
        [Name, new("Created At", "date", "The time the definition was created.")],
        (o, _) => [ObjectName(o), Text(o, "metadata", "creationTimestamp")]);

    /// <summary>NAME and AGE: what every other kind shows.</summary>
    public static readonly RowPrinter Generic = new(
        [Name, Age],
        (o, now) => [ObjectName(o), Age_(o, now)]);
}
