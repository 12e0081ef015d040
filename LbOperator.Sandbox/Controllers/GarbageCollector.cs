using System.Text.Json.Nodes;
using LbOperator.Sandbox.Api;
using LbOperator.Sandbox.Storage;
using Microsoft.Extensions.Logging;

namespace LbOperator.Sandbox.Controllers;

/// <summary>
/// Owner-reference garbage collection. When an owner goes, dependents with no remaining owner are deleted
/// (background cascading) and references to the gone owner are removed from dependents that keep another owner.
/// An owner deleted with propagationPolicy=Orphan has its dependents' references removed, then its
/// <c>orphan</c> finalizer; with Foreground, its dependents are deleted first and its <c>foregroundDeletion</c>
/// finalizer is removed once no dependent with blockOwnerDeletion=true remains. A new object whose owners all do
/// not exist is deleted.
/// </summary>
public sealed class GarbageCollector(ResourceService api, ILogger<GarbageCollector> logger) : Controller(api, logger)
{
    protected override IReadOnlySet<string>? Interests => null;

    protected override Task HandleAsync(StoreEvent change, CancellationToken cancellationToken)
    {
        var obj = change.Latest;
        if (change.Type == StoreEventType.Deleted)
        {
            if (Meta.Uid(obj) is { } uid)
            {
                CollectDependentsOf(uid);
            }

            // A blocking dependent went: its foreground-deleting owners may now finish.
            foreach (var owner in Meta.OwnerReferences(obj))
            {
                if (Meta.AsString(owner["uid"]) is { } ownerUid)
                {
                    FinishForeground(ownerUid);
                }
            }

            return Task.CompletedTask;
        }

        if (Meta.IsDeleting(obj))
        {
            var finalizers = Meta.Finalizers(obj);
            if (finalizers.Contains(ResourceService.OrphanFinalizer))
            {
                Orphan(change.StorageKey, obj);
            }
            else if (finalizers.Contains(ResourceService.ForegroundFinalizer))
            {
                DeleteDependentsInForeground(Meta.Uid(obj)!);
                FinishForeground(Meta.Uid(obj)!);
            }
        }

        var owners = Meta.OwnerReferences(obj);
        var ownersChanged = change.Type == StoreEventType.Added
            || (change.Previous is not null && !Meta.JsonEquals(change.Previous["metadata"]?["ownerReferences"], obj["metadata"]?["ownerReferences"]));
        if (owners.Count > 0 && ownersChanged && !Meta.IsDeleting(obj)
            && owners.All(o => Meta.AsString(o["uid"]) is not { } ownerUid || Api.Store.Read(tx => tx.FindByUid(ownerUid)) is null))
        {
            if (DescriptorFor(change.StorageKey) is { } d)
            {
                DeleteQuietly(d, change.Namespace, change.Name, new DeleteOptions(PropagationPolicy.Background));
            }
        }

        return Task.CompletedTask;
    }

    private List<(string StorageKey, JsonObject Object)> DependentsOf(string uid) =>
        Api.Store.Read(tx => tx.ByIndex(StoreIndex.ByOwner.Name, uid)
            .OrderBy(x => x.StorageKey, StringComparer.Ordinal)
            .ThenBy(x => Meta.Namespace(x.Object), StringComparer.Ordinal)
            .ThenBy(x => Meta.Name(x.Object), StringComparer.Ordinal)
            .ToList());

    private void CollectDependentsOf(string uid)
    {
        foreach (var (key, dependent) in DependentsOf(uid))
        {
            if (DescriptorFor(key) is not { } d)
            {
                continue;
            }

            var others = Meta.OwnerReferences(dependent).Where(r => Meta.AsString(r["uid"]) != uid).ToList();
            var living = others.Where(r => Meta.AsString(r["uid"]) is { } u && Api.Store.Read(tx => tx.FindByUid(u)) is not null).ToList();
            if (living.Count > 0)
            {
                RemoveOwnerReference(d, dependent, uid);
            }
            else if (!Meta.IsDeleting(dependent))
            {
                DeleteQuietly(d, Meta.Namespace(dependent), Meta.Name(dependent)!, new DeleteOptions(PropagationPolicy.Background));
            }
        }
    }

    private void Orphan(string storageKey, JsonObject owner)
    {
        var uid = Meta.Uid(owner)!;
        foreach (var (key, dependent) in DependentsOf(uid))
        {
            if (DescriptorFor(key) is { } d)
            {
                RemoveOwnerReference(d, dependent, uid);
            }
        }

        RemoveFinalizer(storageKey, owner, ResourceService.OrphanFinalizer);
    }

    private void DeleteDependentsInForeground(string uid)
    {
        foreach (var (key, dependent) in DependentsOf(uid))
        {
            if (DescriptorFor(key) is { } d && !Meta.IsDeleting(dependent))
            {
                var blocking = Meta.OwnerReferences(dependent).Any(r => Meta.AsString(r["uid"]) == uid && Meta.AsBool(r["blockOwnerDeletion"]));
                DeleteQuietly(d, Meta.Namespace(dependent), Meta.Name(dependent)!,
                    new DeleteOptions(blocking ? PropagationPolicy.Foreground : PropagationPolicy.Background));
            }
        }
    }

    private void FinishForeground(string ownerUid)
    {
        if (Api.Store.Read(tx => tx.FindByUid(ownerUid)) is not { } found
            || !Meta.IsDeleting(found.Object)
            || !Meta.Finalizers(found.Object).Contains(ResourceService.ForegroundFinalizer))
        {
            return;
        }

        var blocked = DependentsOf(ownerUid).Any(x => Meta.OwnerReferences(x.Object)
            .Any(r => Meta.AsString(r["uid"]) == ownerUid && Meta.AsBool(r["blockOwnerDeletion"])));
        if (!blocked)
        {
            RemoveFinalizer(found.StorageKey, found.Object, ResourceService.ForegroundFinalizer);
        }
    }

    private void RemoveOwnerReference(ResourceDescriptor d, JsonObject dependent, string ownerUid) =>
        Api.Mutate(d, Meta.Namespace(dependent), Meta.Name(dependent)!, current =>
        {
            var refs = Meta.OwnerReferences(current);
            var kept = refs.Where(r => Meta.AsString(r["uid"]) != ownerUid).ToList();
            if (kept.Count == refs.Count)
            {
                return false;
            }

            if (kept.Count == 0)
            {
                Meta.Metadata(current).Remove("ownerReferences");
            }
            else
            {
                Meta.Metadata(current)["ownerReferences"] = new JsonArray([.. kept.Select(r => r.DeepClone())]);
            }

            return true;
        });

    private void RemoveFinalizer(string storageKey, JsonObject owner, string finalizer)
    {
        if (DescriptorFor(storageKey) is not { } d)
        {
            return;
        }

        Api.Mutate(d, Meta.Namespace(owner), Meta.Name(owner)!, current =>
        {
            var finalizers = Meta.Finalizers(current);
            if (!finalizers.Contains(finalizer))
            {
                return false;
            }

            Meta.SetFinalizers(current, finalizers.Where(f => f != finalizer));
            return true;
        });
    }
}
