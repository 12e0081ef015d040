using System.Collections;
using LbOperator.Framework.Entities;
using k8s;
using k8s.Models;

namespace LbOperator.Framework.Reconciliation;

/// <summary>
/// The log scope of one reconcile: <c>kind</c>, <c>namespace</c> and <c>name</c> as structured properties (as KubeOps
/// and controller-runtime attach them), shown as "Service default/web" in text logs.
/// </summary>
internal sealed class ReconcileLogScope : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly KeyValuePair<string, object?>[] _properties;

    private ReconcileLogScope(string kind, string? @namespace, string name)
    {
        _properties = [new("kind", kind), new("namespace", @namespace), new("name", name)];
        Text = @namespace is null ? $"{kind} {name}" : $"{kind} {@namespace}/{name}";
    }

    public string Text { get; }

    public int Count => _properties.Length;

    public KeyValuePair<string, object?> this[int index] => _properties[index];

    public static ReconcileLogScope For<TEntity>(TEntity entity)
        where TEntity : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(entity);
        // Objects read from a list may lack kind; the entity type's attribute names it.
        var kind = string.IsNullOrEmpty(entity.Kind)
            ? EntityMetadata.For<TEntity>().Kind
            : entity.Kind;
        return new ReconcileLogScope(kind, entity.Metadata?.NamespaceProperty, entity.Metadata?.Name ?? "");
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_properties).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => Text;
}
