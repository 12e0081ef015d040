using System.Text.Json.Nodes;
using LbOperator.Sandbox.Admission;
using LbOperator.Sandbox.Api;
using LbOperator.Sandbox.Resources;
using LbOperator.Sandbox.Storage;
using Microsoft.Extensions.Logging;

namespace LbOperator.Sandbox.Controllers;

/// <summary>
/// Namespace lifecycle: gives each new namespace its <c>default</c> ServiceAccount, and empties a namespace being
/// deleted — deleting everything in it, waiting for objects held by finalizers — before releasing its
/// <c>kubernetes</c> finalizer so the namespace goes.
/// </summary>
public sealed class NamespaceController(ResourceService api, ILogger<NamespaceController> logger) : Controller(api, logger)
{
    protected override IReadOnlySet<string>? Interests => null;

    protected override Task HandleAsync(StoreEvent change, CancellationToken cancellationToken)
    {
        if (change.StorageKey == Key(BuiltInResources.Namespaces))
        {
            if (change.Type == StoreEventType.Added && !Meta.IsDeleting(change.Latest))
            {
                EnsureDefaultServiceAccount(change.Name);
            }
            else if (change.Type == StoreEventType.Modified && Meta.IsDeleting(change.Latest))
            {
                Finalize(change.Name);
            }
        }
        else if (change.Type == StoreEventType.Deleted && change.Namespace is { } ns
            && Api.TryGet(BuiltInResources.Namespaces, null, ns) is { } nsObject && Meta.IsDeleting(nsObject))
        {
            Finalize(ns);
        }

        return Task.CompletedTask;
    }

    private void EnsureDefaultServiceAccount(string ns)
    {
        if (Api.TryGet(BuiltInResources.ServiceAccounts, ns, "default") is not null)
        {
            return;
        }

        try
        {
            Api.Create(BuiltInResources.ServiceAccounts, ns, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "default" } });
        }
        catch (ApiException e) when (e.Code is 409 or 403 or 404)
        {
            // Created meanwhile, or the namespace is already going.
        }
    }

    private void Finalize(string ns)
    {
        var remaining = 0;
        foreach (var key in NamespacedStorageKeys())
        {
            var descriptor = DescriptorFor(key)!;
            foreach (var obj in Api.Store.Read(tx => tx.List(key, ns).ToList()))
            {
                remaining++;
                if (!Meta.IsDeleting(obj))
                {
                    DeleteQuietly(descriptor, ns, Meta.Name(obj)!, new DeleteOptions(PropagationPolicy.Background));
                }
            }
        }

        if (remaining > 0 && NamespacedStorageKeys().Any(key => Api.Store.Read(tx => tx.List(key, ns).Any())))
        {
            return;
        }

        Api.Mutate(BuiltInResources.Namespaces, null, ns, namespaceObject =>
        {
            if (namespaceObject["spec"]?["finalizers"] is not JsonArray finalizers
                || !finalizers.Any(f => f?.ToString() == NamespaceAdmission.KubernetesFinalizer))
            {
                return false;
            }

            namespaceObject["spec"]!["finalizers"] = new JsonArray([.. finalizers.Where(f => f?.ToString() != NamespaceAdmission.KubernetesFinalizer).Select(f => f!.DeepClone())]);
            return true;
        }, "finalize");
    }

    private IEnumerable<string> NamespacedStorageKeys() =>
        Api.Registry.All.Where(d => d.Namespaced).Select(ResourceRegistry.StorageKey).Distinct(StringComparer.Ordinal);
}
