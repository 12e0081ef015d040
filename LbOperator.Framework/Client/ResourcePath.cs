using LbOperator.Framework.Entities;

namespace LbOperator.Framework.Client;

/// <summary>REST paths of a kind's collection and objects, from its <see cref="EntityMetadata"/>.</summary>
internal static class ResourcePath
{
    public static string Collection<TEntity>(string? @namespace) => Collection(EntityMetadata.For<TEntity>(), @namespace);

    public static string Object<TEntity>(string? @namespace, string name) => Object(EntityMetadata.For<TEntity>(), @namespace, name);

    public static string Collection(EntityMetadata metadata, string? @namespace)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return string.IsNullOrEmpty(@namespace)
            ? $"{metadata.ApiPathPrefix}/{metadata.PluralName}"
            : $"{metadata.ApiPathPrefix}/namespaces/{Uri.EscapeDataString(@namespace)}/{metadata.PluralName}";
    }

    public static string Object(EntityMetadata metadata, string? @namespace, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return $"{Collection(metadata, @namespace)}/{Uri.EscapeDataString(name)}";
    }
}
