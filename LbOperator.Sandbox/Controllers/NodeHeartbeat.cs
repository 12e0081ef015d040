using System.Text.Json.Nodes;
using LbOperator.Sandbox.Api;
using LbOperator.Sandbox.Resources;
using LbOperator.Sandbox.Storage;
using Microsoft.Extensions.Logging;

namespace LbOperator.Sandbox.Controllers;

/// <summary>
/// The heartbeat half of a node's kubelet: renews the node's Lease in <c>kube-node-lease</c> and, whenever the
/// Node's Ready condition is not True (at start, or after the lifecycle controller marked it Unknown), posts it as
/// Ready. Separate from <see cref="Kubelet"/> so a slow pod start never delays it, as in the real kubelet. A
/// crashed node (<see cref="NodeOutages"/>) sends nothing.
/// </summary>
public sealed class NodeHeartbeat(ResourceService api, SandboxOptions options, SandboxNode node, ILogger<NodeHeartbeat> logger) : Controller(api, logger)
{
    public const string LeaseNamespace = "kube-node-lease";

    private static readonly IReadOnlySet<string> NodesOnly = new HashSet<string>([Key(BuiltInResources.Nodes)]);

    private readonly NodeTimings _timings = NodeTimings.From(options);

    protected override IReadOnlySet<string>? Interests => NodesOnly;

    protected override TimeSpan? Period => _timings.LeaseRenewInterval;

    /// <summary>Once the Node is registered the Lease gets its owner at once, not one renewal later.</summary>
    protected override Task HandleAsync(StoreEvent change, CancellationToken cancellationToken)
    {
        if (change.Type == StoreEventType.Added && change.Name == node.Name && !options.NodeOutages.IsDown(node.Name))
        {
            RenewLease();
        }

        return Task.CompletedTask;
    }

    protected override Task TickAsync(CancellationToken cancellationToken)
    {
        if (options.NodeOutages.IsDown(node.Name))
        {
            return Task.CompletedTask;
        }

        RenewLease();
        PostReadyIfNeeded();
        return Task.CompletedTask;
    }

    private void RenewLease()
    {
        var now = Meta.MicroTimestamp(Api.Clock.GetUtcNow());
        // As the kubelet, only a registered node has a Lease, owned by its Node so deleting the Node removes it.
        if (Api.TryGet(BuiltInResources.Nodes, null, node.Name) is not { } registered)
        {
            return;
        }

        var owner = new JsonArray(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["name"] = node.Name, ["uid"] = Meta.Uid(registered) });
        if (Api.Mutate(BuiltInResources.Leases, LeaseNamespace, node.Name, lease =>
        {
            lease["spec"]!["renewTime"] = now;
            if (lease["metadata"]!["ownerReferences"] is null)
            {
                lease["metadata"]!["ownerReferences"] = owner;
            }

            return true;
        }) is not null)
        {
            return;
        }

        var metadata = new JsonObject { ["name"] = node.Name, ["ownerReferences"] = owner };
        Api.Create(BuiltInResources.Leases, LeaseNamespace, new JsonObject
        {
            ["metadata"] = metadata,
            ["spec"] = new JsonObject
            {
                ["holderIdentity"] = node.Name,
                ["leaseDurationSeconds"] = (long)Math.Max(1, Math.Ceiling(_timings.LeaseDuration.TotalSeconds)),
                ["renewTime"] = now,
            },
        });
    }

    private void PostReadyIfNeeded() =>
        Api.Mutate(BuiltInResources.Nodes, null, node.Name, current =>
        {
            var conditions = current["status"]?["conditions"] as JsonArray;
            if (conditions?.OfType<JsonObject>().FirstOrDefault(c => Meta.AsString(c["type"]) == "Ready") is { } ready
                && Meta.AsString(ready["status"]) == "True")
            {
                return false;
            }

            current["status"] = current["status"] as JsonObject ?? [];
            current["status"]!["conditions"] = NodeConditions.Healthy(Now);
            return true;
        }, "status");
}
