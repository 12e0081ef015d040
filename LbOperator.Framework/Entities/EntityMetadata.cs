using System.Reflection;
using k8s.Models;

namespace LbOperator.Framework.Entities;

/// <summary>
/// Group, version, kind and plural of an entity type, read from its <see cref="KubernetesEntityAttribute"/>
/// (KubeOps' <c>EntityMetadata</c>). Works alike for core kinds (empty group), apps kinds and custom kinds.
/// </summary>
public record EntityMetadata(string Kind, string Version, string? Group = null, string? Plural = null)
{
    public string ListKind => $"{Kind}List";

    public string SingularName => Kind.ToLowerInvariant();

    public string PluralName => (Plural ?? $"{Kind}s").ToLowerInvariant();

    /// <summary><c>v1</c> for the core group, <c>group/version</c> otherwise (the objects' apiVersion).</summary>
    public string GroupWithVersion => string.IsNullOrEmpty(Group) ? Version : $"{Group}/{Version}";

    /// <summary>The path prefix of the kind's API: <c>/api/v1</c> for core, <c>/apis/group/version</c> otherwise.</summary>
    public string ApiPathPrefix => string.IsNullOrEmpty(Group) ? $"/api/{Version}" : $"/apis/{Group}/{Version}";

    /// <summary>Reads the metadata of <paramref name="entityType"/>; throws when the type has no [KubernetesEntity].</summary>
    public static EntityMetadata For(Type entityType)
    {
        ArgumentNullException.ThrowIfNull(entityType);
        var attribute = entityType.GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new ArgumentException(
                $"Type {entityType.FullName} has no [KubernetesEntity] attribute; group, version and kind are unknown.",
                nameof(entityType));
        return new EntityMetadata(attribute.Kind, attribute.ApiVersion, attribute.Group, attribute.PluralName);
    }

    public static EntityMetadata For<TEntity>() => EntityMetadataCache<TEntity>.Value;

    private static class EntityMetadataCache<TEntity>
    {
        #pragma warning disable CA2263 // the generic overload is this cache's accessor
        public static readonly EntityMetadata Value = For(typeof(TEntity));
#pragma warning restore CA2263
    }
}
