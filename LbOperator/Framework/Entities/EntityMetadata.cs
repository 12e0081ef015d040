using System.Reflection;
using k8s.Models;

namespace LbOperator.Framework.Entities;

/// <summary>
/// Where an entity lives in the API: kind, version, group and plural (KubeOps' EntityMetadata). The plural is the
/// one given, or "{kind}s" lower-cased; it is never pluralised by English rules.
/// </summary>
public sealed record EntityMetadata(string Kind, string Version, string? Group = null, string? Plural = null)
{
    public string ListKind => $"{Kind}List";

    public string SingularName => Kind.ToLowerInvariant();

    public string PluralName => (Plural ?? $"{Kind}s").ToLowerInvariant();

    /// <summary>"group/version", or just "version" for the core group.</summary>
    public string GroupWithVersion => string.IsNullOrEmpty(Group) ? Version : $"{Group}/{Version}";
}

/// <summary>Reads an entity type's <see cref="KubernetesEntityAttribute"/> into <see cref="EntityMetadata"/>.</summary>
public static class EntityMetadataExtensions
{
    public static EntityMetadata GetEntityMetadata(this Type entityType)
    {
        ArgumentNullException.ThrowIfNull(entityType);
        var attribute = entityType.GetCustomAttribute<KubernetesEntityAttribute>(inherit: true)
            ?? throw new ArgumentException(
                $"type {entityType.FullName} has no [KubernetesEntity] attribute; an entity needs one with ApiVersion and Kind",
                nameof(entityType));
        if (string.IsNullOrWhiteSpace(attribute.ApiVersion))
        {
            throw new ArgumentException(
                $"type {entityType.FullName}: [KubernetesEntity] ApiVersion is empty; expected a version such as \"v1\"",
                nameof(entityType));
        }

        var kind = string.IsNullOrWhiteSpace(attribute.Kind) ? entityType.Name : attribute.Kind;
        var group = string.IsNullOrWhiteSpace(attribute.Group) ? null : attribute.Group;
        var plural = string.IsNullOrWhiteSpace(attribute.PluralName) ? null : attribute.PluralName;
        return new EntityMetadata(kind, attribute.ApiVersion, group, plural);
    }

    public static EntityMetadata GetEntityMetadata<TEntity>() => typeof(TEntity).GetEntityMetadata();
}
