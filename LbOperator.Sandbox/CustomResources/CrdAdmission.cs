using System.Text.Json.Nodes;
using LbOperator.Sandbox.Admission;
using LbOperator.Sandbox.Api;
using LbOperator.Sandbox.Resources;

namespace LbOperator.Sandbox.CustomResources;

/// <summary>
/// CustomResourceDefinitions: defaults (singular, listKind, conversion None, the cleanup finalizer) and the
/// checks apiextensions-apiserver makes (name is plural.group, group with a dot, scope, exactly one storage
/// version, served versions, a structural schema per version, immutable scope).
/// </summary>
public sealed class CrdAdmission : IAdmissionPlugin
{
    public const string CleanupFinalizer = "customresourcecleanup.apiextensions.k8s.io";
    private static readonly string[] Scopes = ["Namespaced", "Cluster"];

    public bool AppliesTo(ResourceDescriptor descriptor) => descriptor == BuiltInResources.CustomResourceDefinitions;

    public void Admit(AdmissionContext context)
    {
        if (context.Subresource == "status")
        {
            return;
        }

        var crd = context.NewObject;
        var errors = context.Errors;
        var spec = crd["spec"] as JsonObject ?? [];
        crd["spec"] = spec;
        var names = spec["names"] as JsonObject ?? [];
        spec["names"] = names;
        var group = Meta.AsString(spec["group"]) ?? "";
        var plural = Meta.AsString(names["plural"]) ?? "";
        var kind = Meta.AsString(names["kind"]) ?? "";
        if (kind.Length > 0)
        {
            names["singular"] ??= kind.ToLowerInvariant();
            names["listKind"] ??= kind + "List";
        }

        spec["conversion"] ??= new JsonObject { ["strategy"] = "None" };
        if (context.IsCreate && !Meta.Finalizers(crd).Contains(CleanupFinalizer) && !Meta.IsDeleting(crd))
        {
            Meta.SetFinalizers(crd, Meta.Finalizers(crd).Append(CleanupFinalizer));
        }

        if (context.IsCreate)
        {
            crd["status"] = new JsonObject();
        }

        if (group.Length == 0)
        {
            errors.Add(FieldError.Required("spec.group"));
        }
        else if (!group.Contains('.', StringComparison.Ordinal))
        {
            errors.Add(FieldError.Invalid("spec.group", group, "should be a domain with at least one dot"));
        }

        if (plural.Length == 0)
        {
            errors.Add(FieldError.Required("spec.names.plural"));
        }
        else
        {
            foreach (var problem in NameRules.Dns1035Label(plural))
            {
                errors.Add(FieldError.Invalid("spec.names.plural", plural, problem));
            }
        }

        if (kind.Length == 0)
        {
            errors.Add(FieldError.Required("spec.names.kind"));
        }

        var name = Meta.Name(crd) ?? "";
        if (plural.Length > 0 && group.Length > 0 && name != $"{plural}.{group}")
        {
            errors.Add(FieldError.Invalid("metadata.name", name, "must be spec.names.plural+\".\"+spec.group"));
        }

        if (!Scopes.Contains(Meta.AsString(spec["scope"])))
        {
            errors.Add(spec["scope"] is null ? FieldError.Required("spec.scope") : FieldError.NotSupported("spec.scope", spec["scope"], Scopes));
        }

        var versions = (spec["versions"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        if (versions.Count == 0)
        {
            errors.Add(FieldError.Invalid("spec.versions", new JsonArray(), "must have exactly one version marked as storage version"));
        }
        else if (versions.Count(v => Meta.AsBool(v["storage"])) != 1)
        {
            errors.Add(FieldError.Invalid("spec.versions", spec["versions"], "must have exactly one version marked as storage version"));
        }

        if (versions.Count > 0 && !versions.Any(v => Meta.AsBool(v["served"])))
        {
            errors.Add(FieldError.Invalid("spec.versions", spec["versions"], "must have at least one version marked as served"));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < versions.Count; i++)
        {
            var versionName = Meta.AsString(versions[i]["name"]) ?? "";
            if (versionName.Length == 0)
            {
                errors.Add(FieldError.Required($"spec.versions[{i}].name"));
            }
            else if (!seen.Add(versionName))
            {
                errors.Add(FieldError.Duplicate($"spec.versions[{i}].name", JsonValue.Create(versionName)));
            }

            StructuralSchema.Check(versions[i]["schema"]?["openAPIV3Schema"] as JsonObject, $"spec.versions[{i}].schema.openAPIV3Schema", errors);
        }

        if (context.OldObject?["spec"] is JsonObject oldSpec)
        {
            if (!Meta.JsonEquals(oldSpec["scope"], spec["scope"]))
            {
                errors.Add(FieldError.Immutable("spec.scope", spec["scope"]));
            }

            if (!Meta.JsonEquals(oldSpec["group"], spec["group"]))
            {
                errors.Add(FieldError.Immutable("spec.group", spec["group"]));
            }
        }
    }
}
