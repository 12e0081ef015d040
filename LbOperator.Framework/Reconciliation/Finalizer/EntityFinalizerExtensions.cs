using k8s;
using k8s.Models;
using LbOperator.Framework.Entities;

namespace LbOperator.Framework.Reconciliation.Finalizer;

/// <summary>Derives finalizer names the way KubeOps does.</summary>
public static class EntityFinalizerExtensions
{
    private const int MaxNameLength = 63;
    private const string FinalizerSuffix = "finalizer";

    /// <summary>
    /// <c>{group}/{class name lower-cased}</c> with <c>finalizer</c> appended unless the class name already ends with
    /// it, a leading <c>/</c> trimmed (core group), cut to 63 characters.
    /// </summary>
    public static string GetIdentifierName<TEntity>(this IEntityFinalizer<TEntity> finalizer, TEntity entity)
        where TEntity : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(finalizer);
        return GetIdentifierName(finalizer.GetType(), typeof(TEntity));
    }

    /// <summary>The derived finalizer name of <paramref name="finalizerType"/> for entities of <paramref name="entityType"/>.</summary>
    public static string GetIdentifierName(Type finalizerType, Type entityType)
    {
        ArgumentNullException.ThrowIfNull(finalizerType);
        var group = EntityMetadata.For(entityType).Group ?? string.Empty;
        var name = finalizerType.Name.ToLowerInvariant();
        if (!name.EndsWith(FinalizerSuffix, StringComparison.Ordinal))
        {
            name += FinalizerSuffix;
        }

        var identifier = $"{group}/{name}".TrimStart('/');
        return identifier.Length > MaxNameLength ? identifier[..MaxNameLength] : identifier;
    }
}
