namespace LbOperator.Framework.Entities.Attributes;

/// <summary>The CRD's <c>names.shortNames</c>: abbreviations kubectl accepts for the resource.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class KubernetesEntityShortNamesAttribute(params string[] shortNames) : Attribute
{
    public IReadOnlyList<string> ShortNames => shortNames;
}
