using System.Reflection;
using k8s;
using k8s.Models;

namespace LbOperator.Framework.Entities;

/// <summary>Helpers on entities with the names KubeOps gives them, plus controller owner references.</summary>
public static class KubernetesExtensions
{
    /// <summary>Sets the resource version (for an optimistic update of an object read earlier).</summary>
    public static TEntity WithResourceVersion<TEntity>(this TEntity entity, string resourceVersion)
        where TEntity : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(entity);
        entity.EnsureMetadata().ResourceVersion = resourceVersion;
        return entity;
    }

    /// <summary>Copies the resource version of <paramref name="other"/>.</summary>
    public static TEntity WithResourceVersion<TEntity>(this TEntity entity, TEntity other)
        where TEntity : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(other);
        return entity.WithResourceVersion(other.ResourceVersion());
    }

    /// <summary>A reference to the object, as Events name the object they are about.</summary>
    public static V1ObjectReference MakeObjectReference(this IKubernetesObject<V1ObjectMeta> entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return new V1ObjectReference
        {
            ApiVersion = entity.ApiVersion,
            Kind = entity.Kind,
            Name = entity.Metadata.Name,
            NamespaceProperty = entity.Metadata.NamespaceProperty,
            ResourceVersion = entity.Metadata.ResourceVersion,
            Uid = entity.Metadata.Uid,
        };
    }

    /// <summary>A plain owner reference (apiVersion, kind, name, uid), as KubeOps makes it.</summary>
    public static V1OwnerReference MakeOwnerReference(this IKubernetesObject<V1ObjectMeta> owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return new V1OwnerReference
        {
            ApiVersion = owner.ApiVersion,
            Kind = owner.Kind,
            Name = owner.Metadata.Name,
            Uid = owner.Metadata.Uid,
        };
    }

    /// <summary>
    /// The owner reference that makes <paramref name="owner"/> the managing controller of another object
    /// (<c>controller: true</c>, <c>blockOwnerDeletion: true</c>); <c>Owns&lt;T&gt;()</c> follows these references.
    /// </summary>
    public static V1OwnerReference MakeControllerOwnerReference(this IKubernetesObject<V1ObjectMeta> owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var reference = owner.MakeOwnerReference();
        reference.Controller = true;
        reference.BlockOwnerDeletion = true;
        return reference;
    }

    /// <summary>Adds a plain owner reference to <paramref name="owner"/>.</summary>
    public static TEntity WithOwnerReference<TEntity>(this TEntity entity, IKubernetesObject<V1ObjectMeta> owner)
        where TEntity : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(entity);
        (entity.EnsureMetadata().OwnerReferences ??= []).Add(owner.MakeOwnerReference());
        return entity;
    }

    /// <summary>Adds a controller owner reference to <paramref name="owner"/>.</summary>
    public static TEntity WithControllerReference<TEntity>(this TEntity entity, IKubernetesObject<V1ObjectMeta> owner)
        where TEntity : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(entity);
        (entity.EnsureMetadata().OwnerReferences ??= []).Add(owner.MakeControllerOwnerReference());
        return entity;
    }

    /// <summary>
    /// Sets apiVersion and kind from the entity type when they are missing (objects inside lists and watch events may
    /// lack them). Reads the type's metadata once per type: reading its attribute at every call would cost reflection,
    /// and the emitted invoke stubs behind it, on every read of the cache.
    /// </summary>
    public static TEntity WithTypeMeta<TEntity>(this TEntity entity)
        where TEntity : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(entity);
        var metadata = EntityMetadata.For<TEntity>();
        if (string.IsNullOrEmpty(entity.ApiVersion))
        {
            entity.ApiVersion = metadata.GroupWithVersion;
        }

        if (string.IsNullOrEmpty(entity.Kind))
        {
            entity.Kind = metadata.Kind;
        }

        return entity;
    }

    /// <summary>The entity type's [KubernetesEntity] attribute.</summary>
    public static KubernetesEntityAttribute GetKubernetesEntityAttribute(this Type entityType)
    {
        ArgumentNullException.ThrowIfNull(entityType);
        return entityType.GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new ArgumentException($"Type {entityType.FullName} has no [KubernetesEntity] attribute.", nameof(entityType));
    }
}
