using System.Globalization;
using k8s.Models;

namespace LbOperator.Sandbox.Controllers.Scheduling;

/// <summary>Label selectors (pods) and node selector terms (nodes) as the scheduler evaluates them.</summary>
public static class Selectors
{
    /// <summary>A null selector matches nothing, an empty one everything; matchLabels and matchExpressions are ANDed.</summary>
    public static bool Matches(V1LabelSelector? selector, IDictionary<string, string>? labels)
    {
        if (selector is null)
        {
            return false;
        }

        labels ??= new Dictionary<string, string>();
        foreach (var (key, value) in selector.MatchLabels ?? new Dictionary<string, string>())
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        return (selector.MatchExpressions ?? []).All(e => Matches(e.Key, e.OperatorProperty, e.Values, labels));
    }

    /// <summary>
    /// Required node affinity: the node must match at least one term; a term matches when all its label
    /// expressions and field expressions (only <c>metadata.name</c> exists) do. A term without any matches nothing.
    /// </summary>
    public static bool Matches(V1NodeSelector selector, V1Node node)
    {
        var labels = node.Metadata?.Labels ?? new Dictionary<string, string>();
        var fields = new Dictionary<string, string> { ["metadata.name"] = node.Metadata?.Name ?? "" };
        return (selector.NodeSelectorTerms ?? []).Any(term =>
            (term.MatchExpressions is { Count: > 0 } || term.MatchFields is { Count: > 0 })
            && (term.MatchExpressions ?? []).All(e => Matches(e.Key, e.OperatorProperty, e.Values, labels))
            && (term.MatchFields ?? []).All(e => Matches(e.Key, e.OperatorProperty, e.Values, fields)));
    }

    /// <summary>One requirement: In, NotIn, Exists, DoesNotExist, and for nodes Gt and Lt (integers).</summary>
    public static bool Matches(string key, string op, IList<string>? values, IDictionary<string, string> labels)
    {
        var present = labels.TryGetValue(key, out var actual);
        return op switch
        {
            "In" => present && (values?.Contains(actual!) ?? false),
            "NotIn" => !present || !(values?.Contains(actual!) ?? false),
            "Exists" => present,
            "DoesNotExist" => !present,
            "Gt" => present && Compare(actual!, values) is > 0,
            "Lt" => present && Compare(actual!, values) is < 0,
            _ => false,
        };
    }

    private static int? Compare(string actual, IList<string>? values) =>
        values is [var single]
        && long.TryParse(actual, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var a)
        && long.TryParse(single, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var b)
            ? a.CompareTo(b)
            : null;
}
