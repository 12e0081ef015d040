namespace LbOperator.Framework.Rbac;

/// <summary>
/// Grants <see cref="Verbs"/> on named API groups and resources (including subresources such as
/// <c>services/status</c>), or on non-resource URLs.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class GenericRbacAttribute : RbacAttribute
{
    public string[] Groups { get; init; } = [];

    public string[] Resources { get; init; } = [];

    public string[] Urls { get; init; } = [];

    public RbacVerb Verbs { get; init; }
}
