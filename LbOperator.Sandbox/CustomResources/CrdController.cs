using System.Text.Json.Nodes;
using LbOperator.Sandbox.Api;
using LbOperator.Sandbox.Controllers;
using LbOperator.Sandbox.Resources;
using LbOperator.Sandbox.Storage;
using Microsoft.Extensions.Logging;

namespace LbOperator.Sandbox.CustomResources;

/// <summary>
/// Reports CRDs Established with their accepted names and stored versions, and on deletion removes every custom
/// resource of the CRD before releasing its cleanup finalizer.
/// </summary>
public sealed class CrdController(ResourceService api, ILogger<CrdController> logger) : Controller(api, logger)
{
    private static readonly string CrdKey = Key(BuiltInResources.CustomResourceDefinitions);

    protected override IReadOnlySet<string>? Interests => null;

    protected override Task HandleAsync(StoreEvent change, CancellationToken cancellationToken)
    {
        if (change.StorageKey == CrdKey)
        {
            if (change.Type == StoreEventType.Deleted)
            {
                return Task.CompletedTask;
            }

            if (Meta.IsDeleting(change.Latest))
            {
                Cleanup(change.Latest);
            }
            else
            {
                Establish(change.Name);
            }
        }
        else if (change.Type == StoreEventType.Deleted && change.StorageKey.Contains('.', StringComparison.Ordinal))
        {
            // A custom resource went: its CRD may be waiting for the last one.
            var group = change.StorageKey[..change.StorageKey.IndexOf('/', StringComparison.Ordinal)];
            var plural = change.StorageKey[(change.StorageKey.IndexOf('/', StringComparison.Ordinal) + 1)..];
            if (Api.TryGet(BuiltInResources.CustomResourceDefinitions, null, $"{plural}.{group}") is { } crd && Meta.IsDeleting(crd))
            {
                Cleanup(crd);
            }
        }

        return Task.CompletedTask;
    }

    private void Establish(string name)
    {
        Api.Mutate(BuiltInResources.CustomResourceDefinitions, null, name, crd =>
        {
            var spec = crd["spec"] as JsonObject ?? [];
            var status = crd["status"] as JsonObject ?? [];
            var stored = (status["storedVersions"] as JsonArray)?.Select(v => v?.ToString() ?? "").ToList() ?? [];
            var storage = (spec["versions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(v => Meta.AsBool(v["storage"]));
            if (storage is not null && Meta.AsString(storage["name"]) is { } storageName && !stored.Contains(storageName))
            {
                stored.Add(storageName);
            }

            var now = Now;
            var desired = new JsonObject
            {
                ["conditions"] = new JsonArray(
                    Condition(status, "NamesAccepted", "NoConflicts", "no conflicts found", now),
                    Condition(status, "Established", "InitialNamesAccepted", "the initial names have been accepted", now)),
                ["acceptedNames"] = spec["names"]?.DeepClone(),
                ["storedVersions"] = new JsonArray([.. stored.Select(s => (JsonNode)JsonValue.Create(s))]),
            };
            if (Meta.JsonEquals(status, desired))
            {
                return false;
            }

            crd["status"] = desired;
            return true;
        }, "status");
    }

    private static JsonObject Condition(JsonObject status, string type, string reason, string message, string now)
    {
        var previous = (status["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => Meta.AsString(c["type"]) == type);
        return new JsonObject
        {
            ["type"] = type,
            ["status"] = "True",
            ["lastTransitionTime"] = previous?["lastTransitionTime"]?.DeepClone() ?? now,
            ["reason"] = reason,
            ["message"] = message,
        };
    }

    private void Cleanup(JsonObject crd)
    {
        var group = Meta.AsString(crd["spec"]?["group"]) ?? "";
        var plural = Meta.AsString(crd["spec"]?["names"]?["plural"]) ?? "";
        var descriptor = Api.Registry.All.FirstOrDefault(d => d.Group == group && d.Plural == plural);
        var key = $"{group}/{plural}";
        var remaining = Api.Store.Read(tx => tx.List(key, null).ToList());
        if (descriptor is not null)
        {
            foreach (var obj in remaining.Where(o => !Meta.IsDeleting(o)))
            {
                DeleteQuietly(descriptor, Meta.Namespace(obj), Meta.Name(obj)!);
            }
        }

        if (Api.Store.Read(tx => tx.List(key, null).Any()))
        {
            return;
        }

        Api.Mutate(BuiltInResources.CustomResourceDefinitions, null, Meta.Name(crd)!, current =>
        {
            if (!Meta.Finalizers(current).Contains(CrdAdmission.CleanupFinalizer))
            {
                return false;
            }

            Meta.SetFinalizers(current, Meta.Finalizers(current).Where(f => f != CrdAdmission.CleanupFinalizer));
            return true;
        });
    }
}
