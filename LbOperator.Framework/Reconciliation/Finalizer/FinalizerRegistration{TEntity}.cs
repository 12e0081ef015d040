using k8s;
using k8s.Models;

namespace LbOperator.Framework.Reconciliation.Finalizer;

/// <summary>A finalizer registered for <typeparamref name="TEntity"/> under <see cref="Identifier"/> (the name in metadata.finalizers).</summary>
internal sealed record FinalizerRegistration<TEntity>(string Identifier, Type ImplementationType)
    where TEntity : IKubernetesObject<V1ObjectMeta>;
