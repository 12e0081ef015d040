using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LbOperator.Sandbox.Admission;
using LbOperator.Sandbox.Decoding;
using LbOperator.Sandbox.Resources;
using LbOperator.Sandbox.Storage;

namespace LbOperator.Sandbox.Api;

/// <summary>
/// The semantics of the Kubernetes REST API over the object store: create, get, list, update, patch, delete,
/// deletecollection and watch, with admission, preconditions, finalizers, generation and status subresources.
/// The HTTP layer and the built-in controllers both call it; it throws <see cref="ApiException"/> for failures.
/// </summary>
public sealed class ResourceService(
    ObjectStore store,
    ResourceRegistry registry,
    IReadOnlyList<IAdmissionPlugin> admission,
    NameGenerator names,
    TimeProvider clock,
    IStrategicMergePatcher? strategicMergePatcher = null)
{
    public ObjectStore Store => store;

    public ResourceRegistry Registry => registry;

    public TimeProvider Clock => clock;

    public NameGenerator Names => names;

    // ---- reads -------------------------------------------------------------------------------------------------

    public JsonObject Get(ResourceDescriptor d, string? ns, string name)
    {
        var found = store.Read(tx => tx.Find(ResourceRegistry.StorageKey(d), Scope(d, ns), name));
        return found is null ? throw ApiErrors.NotFound(d, name) : ToVersion(d, found);
    }

    public JsonObject? TryGet(ResourceDescriptor d, string? ns, string name)
    {
        var found = store.Read(tx => tx.Find(ResourceRegistry.StorageKey(d), Scope(d, ns), name));
        return found is null ? null : ToVersion(d, found);
    }

    public JsonObject List(ResourceDescriptor d, string? ns, ListOptions options)
    {
        var key = ResourceRegistry.StorageKey(d);
        var labels = LabelSelector.Parse(options.LabelSelector);
        var fields = FieldSelector.Parse(options.FieldSelector, key);
        ns = Scope(d, ns);

        ContinueToken? token = options.Continue is { Length: > 0 } c ? ContinueToken.Decode(c) : null;
        IReadOnlyList<JsonObject> objects;
        long revision;
        if (token is { ResourceVersion: ContinueToken.Latest })
        {
            // The token a 410 hands out: the rest of the list as it is now.
            (objects, revision) = store.Read(tx => ((IReadOnlyList<JsonObject>)[.. tx.List(key, null)], tx.CurrentResourceVersion));
        }
        else if (token is not null)
        {
            revision = token.ResourceVersion;
            objects = store.Snapshot(key, revision) ?? throw ApiErrors.GoneWithContinue(
                "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.",
                (token with { ResourceVersion = ContinueToken.Latest }).Encode());
        }
        else if (options.ResourceVersionMatch == "Exact")
        {
            revision = ParseResourceVersion(options.ResourceVersion);
            objects = store.Snapshot(key, revision) ?? throw ApiErrors.Gone($"too old resource version: {revision} ({store.CurrentResourceVersion})");
        }
        else
        {
            if (options.ResourceVersion is { Length: > 0 } rv && rv != "0" && ParseResourceVersion(rv) > store.CurrentResourceVersion)
            {
                throw ApiErrors.Timeout($"Too large resource version: {rv}, current: {store.CurrentResourceVersion}");
            }

            (objects, revision) = store.Read(tx => ((IReadOnlyList<JsonObject>)[.. tx.List(key, null)], tx.CurrentResourceVersion));
        }

        var matching = objects
            .Where(o => ns is null || Meta.Namespace(o) == ns)
            .Where(o => labels.Matches(Meta.Labels(o)) && fields.Matches(o))
            .Select(o => (Key: ObjectStore.Key(Meta.Namespace(o), Meta.Name(o)!), Object: o))
            .Where(o => token is null || string.CompareOrdinal(o.Key, token.StartAfter) > 0)
            .ToList();

        var page = options.Limit is > 0 and var limit && matching.Count > limit ? matching.Take(limit).ToList() : matching;
        var metadata = new JsonObject { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) };
        if (page.Count < matching.Count)
        {
            metadata["continue"] = new ContinueToken(revision, page[^1].Key).Encode();
            if (labels.IsEmpty && options.FieldSelector is null or "")
            {
                metadata["remainingItemCount"] = matching.Count - page.Count;
            }
        }

        return new JsonObject
        {
            ["kind"] = d.ListKind,
            ["apiVersion"] = d.GroupVersion,
            ["metadata"] = metadata,
            ["items"] = new JsonArray([.. page.Select(o => (JsonNode)ListItem(d, o.Object))]),
        };
    }

    // ---- writes ------------------------------------------------------------------------------------------------

    public JsonObject Create(ResourceDescriptor d, string? ns, JsonObject body, WriteOptions? options = null)
    {
        options ??= WriteOptions.Default;
        var obj = Meta.Clone(body);
        CheckTypeMeta(d, obj);
        Decode(d, obj);
        ns = Scope(d, ns);
        var metadata = Meta.Metadata(obj);
        CheckNamespace(d, ns, metadata);
        if (Meta.AsString(metadata["resourceVersion"]) is { Length: > 0 })
        {
            throw ApiErrors.BadRequest("resourceVersion should not be set on objects to be created");
        }

        foreach (var serverOwned in new[] { "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "selfLink", "managedFields" })
        {
            metadata.Remove(serverOwned);
        }

        if (d.HasStatusSubresource)
        {
            obj.Remove("status");
        }

        var generateName = Meta.AsString(metadata["generateName"]);
        var requestedName = Meta.AsString(metadata["name"]);
        for (var attempt = 0; ; attempt++)
        {
            var candidate = Meta.Clone(obj);
            var candidateMeta = Meta.Metadata(candidate);
            if (string.IsNullOrEmpty(requestedName) && !string.IsNullOrEmpty(generateName))
            {
                candidateMeta["name"] = names.FromPrefix(generateName);
            }

            try
            {
                return store.Write(tx => CreateLocked(tx, d, ns, candidate, options));
            }
            catch (ApiException e) when (e.Reason == "AlreadyExists" && string.IsNullOrEmpty(requestedName) && attempt < 7)
            {
                // A generated name collided: draw another, as kube-apiserver retries generateName.
            }
        }
    }

    private JsonObject CreateLocked(IStoreTransaction tx, ResourceDescriptor d, string? ns, JsonObject obj, WriteOptions options)
    {
        var key = ResourceRegistry.StorageKey(d);
        var metadata = Meta.Metadata(obj);
        var name = Meta.AsString(metadata["name"]) ?? "";
        if (ns is not null)
        {
            var nsObject = tx.Find(ResourceRegistry.StorageKey(BuiltInResources.Namespaces), null, ns)
                ?? throw ApiErrors.NotFound(BuiltInResources.Namespaces, ns);
            if (Meta.IsDeleting(nsObject))
            {
                throw ApiErrors.Forbidden(d, name, $"unable to create new content in namespace {ns} because it is being terminated");
            }
        }

        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = Meta.Timestamp(clock.GetUtcNow());
        if (ResourcePolicies.TracksGeneration(d))
        {
            metadata["generation"] = 1;
        }

        Admit(new AdmissionContext(AdmissionOperation.Create, d, obj, null, tx, ""));
        if (tx.Find(key, ns, name) is not null)
        {
            throw ApiErrors.AlreadyExists(d, name);
        }

        if (options.DryRun)
        {
            return ToVersion(d, obj);
        }

        return ToVersion(d, tx.Add(key, ToStorage(d, obj)));
    }

    /// <summary>PUT: replaces the object (or, with <paramref name="subresource"/> <c>status</c>, its status).</summary>
    public JsonObject Update(ResourceDescriptor d, string? ns, string name, JsonObject body, string subresource = "", WriteOptions? options = null)
    {
        options ??= WriteOptions.Default;
        var obj = Meta.Clone(body);
        CheckTypeMeta(d, obj);
        Decode(d, obj);
        ns = Scope(d, ns);
        var metadata = Meta.Metadata(obj);
        CheckNamespace(d, ns, metadata);
        if (Meta.AsString(metadata["name"]) is { } bodyName && bodyName != name)
        {
            throw ApiErrors.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        metadata["name"] = name;
        return store.Write(tx =>
        {
            var old = tx.Find(ResourceRegistry.StorageKey(d), ns, name) ?? throw ApiErrors.NotFound(d, name);
            var requested = Meta.ResourceVersion(obj);
            if (string.IsNullOrEmpty(requested))
            {
                if (!ResourcePolicies.AllowsUnconditionalUpdate(d))
                {
                    throw ApiErrors.Invalid(d, name, [FieldError.Invalid("metadata.resourceVersion", JsonValue.Create(0), "must be specified for an update")]);
                }
            }
            else if (requested != Meta.ResourceVersion(old))
            {
                throw ApiErrors.StaleResourceVersion(d, name);
            }

            return UpdateLocked(tx, d, old, obj, subresource, options);
        });
    }

    /// <summary>PATCH with a JSON merge patch, a JSON patch or (through the plugged patcher) a strategic merge patch.</summary>
    public JsonObject Patch(ResourceDescriptor d, string? ns, string name, string contentType, string patch, string subresource = "", WriteOptions? options = null)
    {
        options ??= WriteOptions.Default;
        CheckPatchType(d, contentType);
        ns = Scope(d, ns);
        var patchNode = ParseJson(patch);
        return store.Write(tx =>
        {
            var old = tx.Find(ResourceRegistry.StorageKey(d), ns, name) ?? throw ApiErrors.NotFound(d, name);
            var current = ToVersion(d, old);
            var patched = contentType switch
            {
                "application/merge-patch+json" => MergePatch.Apply(current, patchNode) as JsonObject
                    ?? throw ApiErrors.BadRequest("a merge patch must be a JSON object"),
                "application/json-patch+json" => JsonPatch.Apply(current, patchNode as JsonArray
                    ?? throw ApiErrors.BadRequest("a JSON patch must be a JSON array of operations")),
                "application/strategic-merge-patch+json" when !d.IsCustom && strategicMergePatcher is not null =>
                    strategicMergePatcher.Apply(d, current, patchNode as JsonObject ?? throw ApiErrors.BadRequest("a strategic merge patch must be a JSON object")),
                _ => throw ApiErrors.UnsupportedMediaType(contentType),
            };
            CheckTypeMeta(d, patched);
            var patchedText = patched.ToJsonString();
            if (RequestDecoding.Decode(d, patched) is { } problem)
            {
                throw ApiErrors.InvalidPatch(patchedText, problem);
            }

            var metadata = Meta.Metadata(patched);
            if (Meta.AsString(metadata["name"]) != name)
            {
                throw ApiErrors.BadRequest($"the name of the object ({Meta.AsString(metadata["name"])}) does not match the name on the URL ({name})");
            }

            CheckNamespace(d, ns, metadata);
            if (Meta.ResourceVersion(patched) is { Length: > 0 } requested && requested != Meta.ResourceVersion(old))
            {
                throw ApiErrors.StaleResourceVersion(d, name);
            }

            return UpdateLocked(tx, d, old, patched, subresource, options);
        });
    }

    /// <summary>
    /// Refuses a patch media type this kind does not take with 415, before anything else is looked at (as
    /// kube-apiserver negotiates the type first): server-side apply, strategic merge patch of custom resources.
    /// </summary>
    public void CheckPatchType(ResourceDescriptor d, string contentType)
    {
        var supported = contentType is "application/merge-patch+json" or "application/json-patch+json"
            || (contentType == "application/strategic-merge-patch+json" && !d.IsCustom && strategicMergePatcher is not null);
        if (!supported)
        {
            throw ApiErrors.UnsupportedMediaType(contentType);
        }
    }

    /// <summary>
    /// Reads the object, lets <paramref name="mutate"/> change a copy and writes it back, retrying on conflicts:
    /// the controllers' way to write.
    /// </summary>
    public JsonObject? Mutate(ResourceDescriptor d, string? ns, string name, Func<JsonObject, bool> mutate, string subresource = "")
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var current = TryGet(d, ns, name);
            if (current is null)
            {
                return null;
            }

            if (!mutate(current))
            {
                return current;
            }

            try
            {
                return Update(d, ns, name, current, subresource);
            }
            catch (ApiException e) when (e.Code == 409)
            {
                // Someone wrote in between: read again and reapply.
            }
            catch (ApiException e) when (e.Code == 404)
            {
                return null;
            }
        }

        throw ApiErrors.Internal($"{ApiErrors.GroupResource(d)} {name}: too many conflicting writes");
    }

    private JsonObject UpdateLocked(IStoreTransaction tx, ResourceDescriptor d, JsonObject old, JsonObject requested, string subresource, WriteOptions options)
    {
        var key = ResourceRegistry.StorageKey(d);
        var name = Meta.Name(old)!;
        var oldVersioned = ToVersion(d, old);
        JsonObject obj;
        if (subresource == "status")
        {
            obj = Meta.Clone(oldVersioned);
            if (requested["status"] is { } status)
            {
                obj["status"] = status.DeepClone();
            }
            else
            {
                obj.Remove("status");
            }
        }
        else
        {
            obj = Meta.Clone(requested);
            if (d.HasStatusSubresource)
            {
                if (oldVersioned["status"] is { } status)
                {
                    obj["status"] = status.DeepClone();
                }
                else
                {
                    obj.Remove("status");
                }
            }
        }

        var metadata = Meta.Metadata(obj);
        var oldMetadata = Meta.Metadata(oldVersioned);
        foreach (var fixedField in new[] { "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "namespace", "name", "resourceVersion" })
        {
            if (oldMetadata[fixedField] is { } value)
            {
                metadata[fixedField] = value.DeepClone();
            }
            else
            {
                metadata.Remove(fixedField);
            }
        }

        metadata.Remove("managedFields");
        metadata.Remove("selfLink");
        var errors = new List<FieldError>();
        if (Meta.IsDeleting(old))
        {
            var added = Meta.Finalizers(obj).Except(Meta.Finalizers(old)).ToList();
            if (added.Count > 0)
            {
                errors.Add(FieldError.Forbidden("metadata.finalizers", $"no new finalizers can be added if the object is being deleted, found new finalizers []string{{{string.Join(", ", added.Select(f => $"\"{f}\""))}}}"));
            }
        }

        if (errors.Count > 0)
        {
            throw ApiErrors.Invalid(d, name, errors);
        }

        Admit(new AdmissionContext(AdmissionOperation.Update, d, obj, oldVersioned, tx, subresource));
        if (ResourcePolicies.TracksGeneration(d) && !Meta.JsonEquals(WithoutMetaAndStatus(obj), WithoutMetaAndStatus(oldVersioned)))
        {
            metadata["generation"] = Meta.Generation(oldVersioned) + 1;
        }

        if (Meta.JsonEquals(obj, oldVersioned))
        {
            return oldVersioned;
        }

        if (options.DryRun)
        {
            return obj;
        }

        if (Meta.IsDeleting(obj) && Meta.Finalizers(obj).Count == 0 && !HasNamespaceFinalizers(d, obj))
        {
            tx.Replace(key, ToStorage(d, obj));
            return ToVersion(d, tx.Remove(key, Meta.Namespace(obj), name));
        }

        return ToVersion(d, tx.Replace(key, ToStorage(d, obj)));
    }

    public DeleteResult Delete(ResourceDescriptor d, string? ns, string name, DeleteOptions? options = null)
    {
        options ??= DeleteOptions.Default;
        ns = Scope(d, ns);
        return store.Write(tx => DeleteLocked(tx, d, ns, name, options));
    }

    private DeleteResult DeleteLocked(IStoreTransaction tx, ResourceDescriptor d, string? ns, string name, DeleteOptions options)
    {
        var key = ResourceRegistry.StorageKey(d);
        var old = tx.Find(key, ns, name) ?? throw ApiErrors.NotFound(d, name);
        if (options.PreconditionUid is { Length: > 0 } uid && uid != Meta.Uid(old))
        {
            throw ApiErrors.Conflict(d, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {Meta.Uid(old)}");
        }

        if (options.PreconditionResourceVersion is { Length: > 0 } rv && rv != Meta.ResourceVersion(old))
        {
            throw ApiErrors.Conflict(d, name, $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {Meta.ResourceVersion(old)}");
        }

        if (d == BuiltInResources.Namespaces && SystemNamespaces.Contains(name))
        {
            throw ApiErrors.Forbidden(d, name, "this namespace may not be deleted");
        }

        var obj = ToVersion(d, old);
        var finalizers = Meta.Finalizers(obj).ToList();
        var policyFinalizer = options.Propagation switch
        {
            PropagationPolicy.Orphan => OrphanFinalizer,
            PropagationPolicy.Foreground => ForegroundFinalizer,
            _ => null,
        };
        if (policyFinalizer is not null && !finalizers.Contains(policyFinalizer))
        {
            finalizers.Add(policyFinalizer);
        }

        if (options.Propagation is PropagationPolicy.Background or PropagationPolicy.Foreground)
        {
            finalizers.Remove(OrphanFinalizer);
        }

        if (options.Propagation is PropagationPolicy.Background or PropagationPolicy.Orphan)
        {
            finalizers.Remove(ForegroundFinalizer);
        }

        var graceful = IsGracefulPodDelete(d, obj, options);
        if (finalizers.Count > 0 || HasNamespaceFinalizers(d, obj) || graceful)
        {
            var metadata = Meta.Metadata(obj);
            var changed = !finalizers.SequenceEqual(Meta.Finalizers(obj));
            Meta.SetFinalizers(obj, finalizers);
            if (!Meta.IsDeleting(obj))
            {
                var grace = graceful ? options.GracePeriodSeconds ?? Meta.AsInteger(obj["spec"]?["terminationGracePeriodSeconds"]) ?? 30 : 0;
                metadata["deletionTimestamp"] = Meta.Timestamp(clock.GetUtcNow().AddSeconds(grace));
                metadata["deletionGracePeriodSeconds"] = grace;
                if (ResourcePolicies.TracksGeneration(d))
                {
                    metadata["generation"] = Meta.Generation(obj) + 1;
                }

                if (d == BuiltInResources.Namespaces && obj["status"] is JsonObject status)
                {
                    status["phase"] = "Terminating";
                }

                changed = true;
            }
            else if (graceful && options.GracePeriodSeconds is { } shorter && shorter < (Meta.AsInteger(metadata["deletionGracePeriodSeconds"]) ?? long.MaxValue))
            {
                metadata["deletionTimestamp"] = Meta.Timestamp(clock.GetUtcNow().AddSeconds(shorter));
                metadata["deletionGracePeriodSeconds"] = shorter;
                changed = true;
            }

            if (options.DryRun || !changed)
            {
                return new DeleteResult(obj, false);
            }

            return new DeleteResult(ToVersion(d, tx.Replace(key, ToStorage(d, obj))), false);
        }

        if (options.DryRun)
        {
            return new DeleteResult(ResourcePolicies.ReturnsDeletedObject(d) ? obj : SuccessStatus(d, name, Meta.Uid(obj)), true);
        }

        var removed = ToVersion(d, tx.Remove(key, ns, name));
        return new DeleteResult(ResourcePolicies.ReturnsDeletedObject(d) ? removed : SuccessStatus(d, name, Meta.Uid(removed)), true);
    }

    /// <summary>Deletes every object matching <paramref name="listOptions"/>; answers with the list of them.</summary>
    public JsonObject DeleteCollection(ResourceDescriptor d, string? ns, ListOptions listOptions, DeleteOptions? options = null)
    {
        var list = List(d, ns, listOptions with { Limit = null, Continue = null });
        var deleted = new JsonArray();
        foreach (var item in ((JsonArray)list["items"]!).OfType<JsonObject>())
        {
            try
            {
                var result = Delete(d, Meta.Namespace(item), Meta.Name(item)!, options);
                deleted.Add(ListItem(d, result.Body["kind"]?.ToString() == "Status" ? item : result.Body));
            }
            catch (ApiException e) when (e.Code == 404)
            {
                // Gone in between: nothing left to delete.
            }
        }

        list["items"] = deleted;
        return list;
    }

    // ---- watch -------------------------------------------------------------------------------------------------

    /// <summary>
    /// Opens a watch. The returned session yields watch events until disposed; a too-old resourceVersion yields a
    /// single 410 ERROR event (as kube-apiserver answers watches).
    /// </summary>
    public WatchSession Watch(ResourceDescriptor d, string? ns, WatchOptions options)
    {
        var key = ResourceRegistry.StorageKey(d);
        var filter = new WatchFilter(Scope(d, ns), LabelSelector.Parse(options.LabelSelector), FieldSelector.Parse(options.FieldSelector, key));
        var rv = options.ResourceVersion;
        var sendInitial = options.SendInitialEvents ?? (string.IsNullOrEmpty(rv) || rv == "0");
        if (sendInitial && (string.IsNullOrEmpty(rv) || rv == "0"))
        {
            var (initial, subscription) = store.Read(tx =>
            {
                var current = tx.CurrentResourceVersion;
                return ((IReadOnlyList<JsonObject>)[.. tx.List(key, null)], store.Subscribe(key, current)!);
            });
            return new WatchSession(this, d, filter, subscription, [.. initial.Where(filter.Matches)], store.CurrentResourceVersion, null);
        }

        var from = string.IsNullOrEmpty(rv) || rv == "0" ? store.CurrentResourceVersion : ParseResourceVersion(rv);
        var live = store.Subscribe(key, from);
        if (live is null)
        {
            return new WatchSession(this, d, filter, null, [], from, ApiErrors.Gone($"too old resource version: {from} ({store.CurrentResourceVersion})"));
        }

        return new WatchSession(this, d, filter, live, [], from, null);
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    public const string OrphanFinalizer = "orphan";
    public const string ForegroundFinalizer = "foregroundDeletion";

    /// <summary>Namespaces that exist from the start and may not be deleted.</summary>
    public static readonly IReadOnlySet<string> SystemNamespaces = new HashSet<string>(["default", "kube-system", "kube-public", "kube-node-lease"], StringComparer.Ordinal);

    /// <summary>The object as a client of <paramref name="d"/>'s version sees it.</summary>
    public static JsonObject ToVersion(ResourceDescriptor d, JsonObject stored)
    {
        var obj = Meta.Clone(stored);
        if (d == BuiltInResources.EventsV1)
        {
            return EventConversion.ToEventsV1(obj);
        }

        obj["apiVersion"] = d.GroupVersion;
        obj["kind"] = d.Kind;
        return InWireOrder(obj);
    }

    private static readonly string[] LeadingMembers = ["apiVersion", "kind", "metadata"];

    /// <summary>apiVersion, kind, metadata first, status last: the member order kube-apiserver writes.</summary>
    private static JsonObject InWireOrder(JsonObject obj)
    {
        var ordered = new JsonObject();
        var keys = LeadingMembers.Concat(obj.Select(kv => kv.Key).Where(k => k is not ("apiVersion" or "kind" or "metadata" or "status"))).Append("status").ToList();
        foreach (var key in keys)
        {
            if (obj.TryGetPropertyValue(key, out var value))
            {
                obj.Remove(key);
                ordered[key] = value;
            }
        }

        return ordered;
    }

    private static JsonObject ToStorage(ResourceDescriptor d, JsonObject obj) =>
        d == BuiltInResources.EventsV1 ? EventConversion.ToCoreV1(obj) : obj;

    private static JsonObject ListItem(ResourceDescriptor d, JsonObject obj)
    {
        var item = ToVersion(d, obj);
        if (!d.IsCustom)
        {
            // Typed lists from kube-apiserver carry no apiVersion/kind on their items.
            item.Remove("apiVersion");
            item.Remove("kind");
        }

        return item;
    }

    private void Admit(AdmissionContext context)
    {
        foreach (var plugin in admission)
        {
            if (plugin.AppliesTo(context.Descriptor))
            {
                plugin.Admit(context);
            }
        }

        if (context.Errors.Count > 0)
        {
            throw ApiErrors.Invalid(context.Descriptor, Meta.Name(context.NewObject) ?? "", context.Errors);
        }
    }

    private static bool HasNamespaceFinalizers(ResourceDescriptor d, JsonObject obj) =>
        d == BuiltInResources.Namespaces && obj["spec"]?["finalizers"] is JsonArray { Count: > 0 };

    private static bool IsGracefulPodDelete(ResourceDescriptor d, JsonObject pod, DeleteOptions options) =>
        d == BuiltInResources.Pods
        && options.GracePeriodSeconds is not 0
        && Meta.AsString(pod["spec"]?["nodeName"]) is { Length: > 0 }
        && Meta.AsString(pod["status"]?["phase"]) is not ("Succeeded" or "Failed");

    private static JsonObject WithoutMetaAndStatus(JsonObject obj)
    {
        var copy = Meta.Clone(obj);
        copy.Remove("metadata");
        copy.Remove("status");
        return copy;
    }

    private static JsonObject SuccessStatus(ResourceDescriptor d, string name, string? uid)
    {
        var details = new JsonObject { ["name"] = name };
        if (d.Group.Length > 0)
        {
            details["group"] = d.Group;
        }

        details["kind"] = d.Plural;
        if (uid is not null)
        {
            details["uid"] = uid;
        }

        return new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["details"] = details,
        };
    }

    private static string? Scope(ResourceDescriptor d, string? ns) => d.Namespaced ? ns : null;

    private static void Decode(ResourceDescriptor d, JsonObject obj)
    {
        if (RequestDecoding.Decode(d, obj) is { } problem)
        {
            throw ApiErrors.CannotDecode(d, problem);
        }
    }

    private static void CheckTypeMeta(ResourceDescriptor d, JsonObject obj)
    {
        if (Meta.AsString(obj["apiVersion"]) is { Length: > 0 } apiVersion && apiVersion != d.GroupVersion)
        {
            throw ApiErrors.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({d.GroupVersion})");
        }

        if (Meta.AsString(obj["kind"]) is { Length: > 0 } kind && kind != d.Kind)
        {
            throw ApiErrors.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({d.Kind})");
        }

        obj["apiVersion"] = d.GroupVersion;
        obj["kind"] = d.Kind;
    }

    private static void CheckNamespace(ResourceDescriptor d, string? ns, JsonObject metadata)
    {
        if (ns is null)
        {
            if (d.Namespaced)
            {
                throw ApiErrors.BadRequest("the server could not find the requested resource: a namespaced resource needs a namespace in the path");
            }

            metadata.Remove("namespace");
            return;
        }

        if (Meta.AsString(metadata["namespace"]) is { Length: > 0 } bodyNamespace && bodyNamespace != ns)
        {
            throw ApiErrors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        metadata["namespace"] = ns;
    }

    internal static long ParseResourceVersion(string? rv) =>
        long.TryParse(rv, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw ApiErrors.BadRequest($"invalid resource version \"{rv}\"");

    internal static JsonNode? ParseJson(string text)
    {
        try
        {
            // Duplicate fields keep their last value, as in kube-apiserver (JsonNode.Parse would fail on them).
            return Validation.RequestBody.Parse(text).Node;
        }
        catch (JsonException e)
        {
            throw ApiErrors.BadRequest($"error decoding JSON: {e.Message}");
        }
    }

    /// <summary>
    /// kube-apiserver's continue token: URL-safe base64 of <c>{"v":"meta.k8s.io/v1","rv":…,"start":…}</c>; rv -1
    /// continues at the latest revision.
    /// </summary>
    private sealed record ContinueToken(long ResourceVersion, string StartAfter)
    {
        public const long Latest = -1;

        public string Encode() =>
            System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = ResourceVersion, ["start"] = StartAfter }.ToJsonString()));

        public static ContinueToken Decode(string token)
        {
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(token));
            }
            catch (Exception e) when (e is FormatException or JsonException)
            {
                throw Invalid(e.Message);
            }

            if (Meta.AsString(node?["v"]) is var version && version != "meta.k8s.io/v1")
            {
                throw Invalid($"server does not recognize this encoded version {version}");
            }

            if (Meta.AsInteger(node?["rv"]) is not { } rv || rv == 0)
            {
                throw Invalid("incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
            }

            if (Meta.AsString(node?["start"]) is not { Length: > 0 } start)
            {
                throw Invalid("encoded start key empty (version meta.k8s.io/v1)");
            }

            return new ContinueToken(rv, start);
        }

        private static ApiException Invalid(string why) => ApiErrors.BadRequest($"invalid continue token: continue key is not valid: {why}");
    }
}
