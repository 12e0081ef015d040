using System.Reflection;
using k8s.Models;
using LbOperator.Framework.Entities;
using LbOperator.Framework.Rbac;

namespace LbOperator.Framework.Transpilation;

/// <summary>
/// Turns RBAC attributes into the operator's least-privilege policy rules. It follows KubeOps' grouping (one rule per
/// API group and verb set, resources sorted) with stricter rules: verbs are always listed explicitly (never
/// <c>*</c>), wildcards in groups, resources or URLs are refused, and status access is granted only to entities the
/// operator may write. Every role also gets what the runtime itself needs: writing events.
/// </summary>
public static class RbacTranspiler
{
    private static readonly (RbacVerb Flag, string Name)[] VerbNames =
    [
        (RbacVerb.Get, "get"), (RbacVerb.List, "list"), (RbacVerb.Watch, "watch"), (RbacVerb.Create, "create"),
        (RbacVerb.Update, "update"), (RbacVerb.Patch, "patch"), (RbacVerb.Delete, "delete"),
    ];

    /// <summary>The explicit verbs behind <see cref="RbacVerb.All"/> and <see cref="RbacVerb.AllExplicit"/>, in kubectl's order.</summary>
    public static IReadOnlyList<string> AllVerbs { get; } = [.. VerbNames.Select(v => v.Name)];

    private static readonly string[] StatusVerbs = ["get", "update", "patch"];

    // The runtime records core/v1 events on the objects it reconciles and counts repeats with a patch; it reads,
    // lists and updates none, and writes nothing in events.k8s.io.
    private static readonly string[] EventVerbs = ["create", "patch"];

    /// <summary>What leader election needs on its Lease, granted in the operator's own namespace only.</summary>
    public static IReadOnlyList<V1PolicyRule> LeaderElectionRules { get; } =
    [
        new V1PolicyRule { ApiGroups = ["coordination.k8s.io"], Resources = ["leases"], Verbs = ["get", "create", "update"] },
    ];

    /// <summary>The RBAC attributes on the non-abstract, non-generic classes of an assembly.</summary>
    public static IReadOnlyList<RbacAttribute> FindRbacAttributes(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return FindRbacAttributes(assembly.GetTypes());
    }

    /// <summary>The RBAC attributes on the given non-abstract, non-generic classes, in type-name order.</summary>
    public static IReadOnlyList<RbacAttribute> FindRbacAttributes(IEnumerable<Type> types)
    {
        ArgumentNullException.ThrowIfNull(types);
        return [.. types
            .Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false })
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .SelectMany(t => t.GetCustomAttributes<RbacAttribute>(inherit: true))];
    }

    /// <summary>The ClusterRole's rules: the attributes' grants merged per API group and verb set, plus events.</summary>
    public static IReadOnlyList<V1PolicyRule> Transpile(IEnumerable<RbacAttribute> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var grants = new Dictionary<(string Group, string Resource), HashSet<string>>();
        var urlGrants = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        void Grant(string group, string resource, IEnumerable<string> verbs)
        {
            if (!grants.TryGetValue((group, resource), out var set))
            {
                grants[(group, resource)] = set = new HashSet<string>(StringComparer.Ordinal);
            }

            set.UnionWith(verbs);
        }

        foreach (var attribute in attributes)
        {
            switch (attribute)
            {
                case EntityRbacAttribute entity:
                    foreach (var type in entity.Entities)
                    {
                        var verbs = Verbs(entity.Verbs, $"[EntityRbac({type.Name})]");
                        var metadata = EntityMetadata.For(type);
                        Grant(metadata.Group ?? string.Empty, metadata.PluralName, verbs);
                        if (HasStatus(type) && verbs.Any(v => v is "update" or "patch"))
                        {
                            Grant(metadata.Group ?? string.Empty, $"{metadata.PluralName}/status", StatusVerbs);
                        }
                    }

                    break;
                case GenericRbacAttribute generic:
                    var genericVerbs = Verbs(generic.Verbs, "[GenericRbac]");
                    CheckNames(generic);
                    foreach (var group in generic.Groups)
                    {
                        foreach (var resource in generic.Resources)
                        {
                            Grant(group, resource, genericVerbs);
                        }
                    }

                    foreach (var url in generic.Urls)
                    {
                        if (!urlGrants.TryGetValue(url, out var set))
                        {
                            urlGrants[url] = set = new HashSet<string>(StringComparer.Ordinal);
                        }

                        set.UnionWith(genericVerbs);
                    }

                    break;
                default:
                    throw new TranspilationException($"RBAC attribute {attribute.GetType().Name} is not known to the transpiler");
            }
        }

        Grant(string.Empty, "events", EventVerbs);

        var resourceRules = grants
            .GroupBy(g => (g.Key.Group, Verbs: string.Join(",", Ordered(g.Value))))
            .Select(g => new V1PolicyRule
            {
                ApiGroups = [g.Key.Group],
                Resources = [.. g.Select(x => x.Key.Resource).Order(StringComparer.Ordinal)],
                Verbs = [.. Ordered(g.First().Value)],
            })
            .OrderBy(r => r.ApiGroups[0], StringComparer.Ordinal)
            .ThenBy(r => r.Resources[0], StringComparer.Ordinal);
        var urlRules = urlGrants
            .GroupBy(g => string.Join(",", Ordered(g.Value)))
            .Select(g => new V1PolicyRule
            {
                NonResourceURLs = [.. g.Select(x => x.Key).Order(StringComparer.Ordinal)],
                Verbs = [.. Ordered(g.First().Value)],
            })
            .OrderBy(r => r.NonResourceURLs[0], StringComparer.Ordinal);
        return [.. resourceRules, .. urlRules];
    }

    /// <summary>The verbs a flag set grants, explicit and in kubectl's order.</summary>
    public static IReadOnlyList<string> Verbs(RbacVerb verbs, string where = "RBAC attribute")
    {
        if (verbs.HasFlag(RbacVerb.All) || verbs.HasFlag(RbacVerb.AllExplicit))
        {
            return AllVerbs;
        }

        var names = VerbNames.Where(v => verbs.HasFlag(v.Flag)).Select(v => v.Name).ToList();
        return names.Count > 0
            ? names
            : throw new TranspilationException($"{where} grants no verbs; set Verbs, e.g. RbacVerb.Get | RbacVerb.List | RbacVerb.Watch");
    }

    private static IEnumerable<string> Ordered(IEnumerable<string> verbs)
    {
        var set = verbs.ToHashSet(StringComparer.Ordinal);
        return AllVerbs.Where(set.Contains).Concat(set.Except(AllVerbs).Order(StringComparer.Ordinal));
    }

    private static bool HasStatus(Type entityType) =>
        entityType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Any(p => string.Equals(p.Name, "status", StringComparison.OrdinalIgnoreCase));

    private static void CheckNames(GenericRbacAttribute generic)
    {
        var describe = $"[GenericRbac(Groups = [{string.Join(", ", generic.Groups.Select(g => $"\"{g}\""))}], Resources = [{string.Join(", ", generic.Resources)}], Urls = [{string.Join(", ", generic.Urls)}])]";
        if (generic.Groups.Concat(generic.Resources).Concat(generic.Urls).Any(n => n.Contains('*', StringComparison.Ordinal)))
        {
            throw new TranspilationException($"{describe} uses a wildcard; name each API group, resource and URL explicitly");
        }

        if (generic.Resources.Length > 0 && generic.Groups.Length == 0)
        {
            throw new TranspilationException($"{describe} lists resources without API groups; use Groups = [\"\"] for the core group");
        }

        if (generic.Resources.Length == 0 && generic.Urls.Length == 0)
        {
            throw new TranspilationException($"{describe} grants nothing; list Resources or Urls");
        }
    }
}
