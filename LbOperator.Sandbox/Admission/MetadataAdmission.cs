using System.Text.Json.Nodes;
using LbOperator.Sandbox.Api;
using LbOperator.Sandbox.Resources;

namespace LbOperator.Sandbox.Admission;

/// <summary>ObjectMeta rules every kind shares: names by kind, labels, annotations, owner references.</summary>
public sealed class MetadataAdmission : IAdmissionPlugin
{
    public bool AppliesTo(ResourceDescriptor descriptor) => true;

    public void Admit(AdmissionContext context)
    {
        var metadata = Meta.Metadata(context.NewObject);
        var errors = context.Errors;
        var name = Meta.AsString(metadata["name"]);
        if (string.IsNullOrEmpty(name))
        {
            errors.Add(FieldError.Required("metadata.name", "name or generateName is required"));
        }
        else if (context.IsCreate)
        {
            foreach (var problem in NameProblems(context.Descriptor, name))
            {
                errors.Add(FieldError.Invalid("metadata.name", name, problem));
            }
        }

        foreach (var (key, value) in Meta.StringMap(metadata["labels"]))
        {
            foreach (var problem in NameRules.QualifiedName(key))
            {
                errors.Add(FieldError.Invalid("metadata.labels", key, problem));
            }

            foreach (var problem in NameRules.LabelValue(value))
            {
                errors.Add(FieldError.Invalid("metadata.labels", value, problem));
            }
        }

        if (metadata["annotations"] is JsonObject annotations)
        {
            foreach (var (key, _) in annotations)
            {
                foreach (var problem in NameRules.QualifiedName(key.ToLowerInvariant()))
                {
                    errors.Add(FieldError.Invalid("metadata.annotations", key, problem));
                }
            }

            var size = annotations.Sum(kv => kv.Key.Length + (kv.Value?.ToString().Length ?? 0));
            if (size > 256 * 1024)
            {
                errors.Add(FieldError.TooLong("metadata.annotations", 256 * 1024));
            }
        }

        var owners = Meta.OwnerReferences(context.NewObject);
        for (var i = 0; i < owners.Count; i++)
        {
            foreach (var field in new[] { "apiVersion", "kind", "name", "uid" })
            {
                if (string.IsNullOrEmpty(Meta.AsString(owners[i][field])))
                {
                    errors.Add(FieldError.Invalid($"metadata.ownerReferences[{i}].{field}", "", $"{field} must not be empty"));
                }
            }
        }

        if (owners.Count(o => Meta.AsBool(o["controller"])) > 1)
        {
            errors.Add(FieldError.Invalid("metadata.ownerReferences", "", "Only one reference can have Controller set to true"));
        }
    }

    private static IEnumerable<string> NameProblems(ResourceDescriptor d, string name) => d switch
    {
        _ when d == BuiltInResources.Namespaces => NameRules.Dns1123Label(name),
        _ when d == BuiltInResources.Services => NameRules.Dns1035Label(name),
        _ when d.Group == "rbac.authorization.k8s.io" => NameRules.PathSegment(name),
        _ => NameRules.Dns1123Subdomain(name),
    };
}
