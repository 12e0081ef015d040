namespace LbOperator.Framework.Rbac;

/// <summary>
/// Grants <see cref="Verbs"/> on the resources of the given entity types (group and plural from their
/// <c>[KubernetesEntity]</c>), e.g. <c>[EntityRbac(typeof(V1Service), Verbs = RbacVerb.Get | RbacVerb.List)]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class EntityRbacAttribute(params Type[] entities) : RbacAttribute
{
    public IEnumerable<Type> Entities => entities;

    public RbacVerb Verbs { get; init; }
}
