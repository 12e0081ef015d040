using k8s;
using k8s.Models;
using LbOperator.Framework.Entities;
using Microsoft.Extensions.DependencyInjection;

namespace LbOperator.Framework.Watcher;

/// <summary>Hands the answers of the operator's writes to the cache of their kind, when that kind is watched.</summary>
internal sealed class OwnWrites(IServiceProvider services)
{
    public void Wrote<TEntity>(TEntity written)
        where TEntity : IKubernetesObject<V1ObjectMeta> =>
        services.GetService<EntityCache<TEntity>>()?.Wrote(written);

    public void Deleted<TEntity>(string name, string? @namespace, string? uid)
        where TEntity : IKubernetesObject<V1ObjectMeta> =>
        services.GetService<EntityCache<TEntity>>()?.Deleted(new EntityKey(string.IsNullOrEmpty(@namespace) ? null : @namespace, name), uid);
}
