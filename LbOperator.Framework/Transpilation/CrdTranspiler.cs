using System.Reflection;
using k8s.Models;
using LbOperator.Framework.Entities;
using LbOperator.Framework.Entities.Attributes;

namespace LbOperator.Framework.Transpilation;

/// <summary>
/// Turns C# entity types into <c>apiextensions.k8s.io/v1</c> CustomResourceDefinitions, following KubeOps'
/// transpiler: names from <c>[KubernetesEntity]</c>, scope and short names from attributes, one served storage
/// version, a structural schema of the public properties (sorted ordinally), the status subresource when the entity
/// has a status, and printer columns from the property and class attributes.
/// </summary>
public static class CrdTranspiler
{
    /// <summary>
    /// The entity types of an assembly that get a CRD: non-abstract classes with <c>[KubernetesEntity]</c>, without
    /// <c>[Ignore]</c>, outside KubernetesClient's own models, ordered by CRD name.
    /// </summary>
    public static IReadOnlyList<Type> FindEntityTypes(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return [.. assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false })
            .Where(t => t.GetCustomAttribute<KubernetesEntityAttribute>() is not null)
            .Where(t => t.GetCustomAttribute<IgnoreAttribute>() is null)
            .Where(t => t.Assembly != typeof(V1ObjectMeta).Assembly)
            .OrderBy(CrdName, StringComparer.Ordinal)];
    }

    /// <summary>One CRD per entity type, ordered by CRD name. Two types for one CRD name are refused.</summary>
    public static IReadOnlyList<V1CustomResourceDefinition> Transpile(IEnumerable<Type> entityTypes)
    {
        ArgumentNullException.ThrowIfNull(entityTypes);
        var crds = entityTypes.Select(Transpile).OrderBy(c => c.Metadata.Name, StringComparer.Ordinal).ToList();
        foreach (var clash in crds.GroupBy(c => c.Metadata.Name).Where(g => g.Count() > 1))
        {
            throw new TranspilationException(
                $"CRD {clash.Key} would come from {clash.Count()} entity types; several versions of one CRD are not supported, [Ignore] all but one");
        }

        return crds;
    }

    public static V1CustomResourceDefinition Transpile(Type entityType)
    {
        ArgumentNullException.ThrowIfNull(entityType);
        var metadata = Metadata(entityType);
        var mapper = new SchemaMapper();
        var schema = mapper.MapEntity(entityType);
        schema.Description ??= entityType.GetCustomAttribute<DescriptionAttribute>()?.Description;
        var columns = mapper.PropertyColumns.Concat(entityType.GetCustomAttributes<GenericAdditionalPrinterColumnAttribute>().Select(c => GenericColumn(entityType, c))).ToList();
        var hasStatus = entityType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Any(p => string.Equals(p.Name, "status", StringComparison.OrdinalIgnoreCase));
        var shortNames = entityType.GetCustomAttribute<KubernetesEntityShortNamesAttribute>()?.ShortNames;
        var scope = entityType.GetCustomAttribute<EntityScopeAttribute>()?.Scope ?? EntityScope.Namespaced;

        return new V1CustomResourceDefinition
        {
            ApiVersion = $"{V1CustomResourceDefinition.KubeGroup}/{V1CustomResourceDefinition.KubeApiVersion}",
            Kind = V1CustomResourceDefinition.KubeKind,
            Metadata = new V1ObjectMeta { Name = $"{metadata.PluralName}.{metadata.Group}" },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = metadata.Group,
                Names = new V1CustomResourceDefinitionNames
                {
                    Kind = metadata.Kind,
                    ListKind = metadata.ListKind,
                    Plural = metadata.PluralName,
                    Singular = metadata.SingularName,
                    ShortNames = shortNames is { Count: > 0 } ? [.. shortNames] : null,
                },
                Scope = scope.ToString(),
                Versions =
                [
                    new V1CustomResourceDefinitionVersion
                    {
                        Name = metadata.Version,
                        Served = true,
                        Storage = true,
                        Schema = new V1CustomResourceValidation { OpenAPIV3Schema = schema },
                        Subresources = hasStatus ? new V1CustomResourceSubresources { Status = new Dictionary<string, object>() } : null,
                        AdditionalPrinterColumns = columns.Count > 0 ? columns : null,
                    },
                ],
            },
        };
    }

    private static string CrdName(Type entityType)
    {
        var metadata = EntityMetadata.For(entityType);
        return $"{metadata.PluralName}.{metadata.Group}";
    }

    private static EntityMetadata Metadata(Type entityType)
    {
        var metadata = EntityMetadata.For(entityType);
        if (metadata.Group is null || !metadata.Group.Contains('.', StringComparison.Ordinal))
        {
            throw new TranspilationException(
                $"entity {entityType.FullName}: group \"{metadata.Group}\" is not a domain name; a CRD needs a group such as \"example.com\"");
        }

        return metadata;
    }

    private static V1CustomResourceColumnDefinition GenericColumn(Type entityType, GenericAdditionalPrinterColumnAttribute column)
    {
        if (!column.JsonPath.StartsWith('.'))
        {
            throw new TranspilationException(
                $"entity {entityType.FullName}, printer column {column.Name}: JSON path \"{column.JsonPath}\" must start with '.', e.g. .spec.field");
        }

        if (column.Type is not ("string" or "integer" or "number" or "boolean" or "date"))
        {
            throw new TranspilationException(
                $"entity {entityType.FullName}, printer column {column.Name}: type \"{column.Type}\" is not one of string, integer, number, boolean, date");
        }

        return new V1CustomResourceColumnDefinition
        {
            Name = column.Name,
            JsonPath = column.JsonPath,
            Type = column.Type,
            Description = column.Description,
            Format = column.Format,
            Priority = column.Priority == PrinterColumnPriority.WideView ? 1 : null,
        };
    }
}
