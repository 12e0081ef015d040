namespace LbOperator.Framework.Rbac;

/// <summary>
/// The verbs an RBAC attribute grants, as flags (KubeOps' values). <see cref="All"/> and <see cref="AllExplicit"/>
/// both become the explicit list get, list, watch, create, update, patch, delete: the generated role never grants
/// <c>*</c>.
/// </summary>
[Flags]
public enum RbacVerb
{
    None = 0,
    All = 1 << 0,
    Get = 1 << 1,
    List = 1 << 2,
    Watch = 1 << 3,
    Create = 1 << 4,
    Update = 1 << 5,
    Patch = 1 << 6,
    Delete = 1 << 7,
    AllExplicit = 1 << 8,
}
