using System.Text.RegularExpressions;

namespace LbOperator.Sandbox.Admission;

/// <summary>Kubernetes' name formats and their messages, as kube-apiserver words them.</summary>
public static partial class NameRules
{
    public const string Dns1123LabelPattern = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    public const string Dns1123SubdomainPattern = @"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
    public const string Dns1035LabelPattern = "[a-z]([-a-z0-9]*[a-z0-9])?";

    /// <summary>Problems with <paramref name="value"/> as an RFC 1123 subdomain (most object names).</summary>
    public static IEnumerable<string> Dns1123Subdomain(string value)
    {
        if (value.Length > 253)
        {
            yield return "must be no more than 253 characters";
        }

        if (!Subdomain().IsMatch(value))
        {
            yield return $"a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '{Dns1123SubdomainPattern}')";
        }
    }

    /// <summary>Problems with <paramref name="value"/> as an RFC 1123 label (namespace names, port names).</summary>
    public static IEnumerable<string> Dns1123Label(string value)
    {
        if (value.Length > 63)
        {
            yield return "must be no more than 63 characters";
        }

        if (!Label1123().IsMatch(value))
        {
            yield return $"a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '{Dns1123LabelPattern}')";
        }
    }

    /// <summary>Problems with <paramref name="value"/> as an RFC 1035 label (Service names).</summary>
    public static IEnumerable<string> Dns1035Label(string value)
    {
        if (value.Length > 63)
        {
            yield return "must be no more than 63 characters";
        }

        if (!Label1035().IsMatch(value))
        {
            yield return $"a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '{Dns1035LabelPattern}')";
        }
    }

    /// <summary>Problems with <paramref name="value"/> as a path segment name (RBAC objects).</summary>
    public static IEnumerable<string> PathSegment(string value)
    {
        if (value is "." or "..")
        {
            yield return $"may not be '{value}'";
        }

        foreach (var bad in new[] { "/", "%" })
        {
            if (value.Contains(bad, StringComparison.Ordinal))
            {
                yield return $"may not contain '{bad}'";
            }
        }
    }

    private const string QualifiedNameRule = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

    /// <summary>
    /// Problems with a qualified name (label and annotation keys, an Event's reportingController): an optional DNS
    /// subdomain prefix and a slash, then a name of at most 63 characters (IsQualifiedName).
    /// </summary>
    public static IEnumerable<string> QualifiedName(string value)
    {
        var parts = value.Split('/');
        if (parts.Length > 2)
        {
            yield return $"a qualified name {QualifiedNameRule} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
            yield break;
        }

        var name = parts[^1];
        if (parts.Length == 2)
        {
            if (parts[0].Length == 0)
            {
                yield return "prefix part must be non-empty";
            }
            else
            {
                foreach (var problem in Dns1123Subdomain(parts[0]))
                {
                    yield return "prefix part " + problem;
                }
            }
        }

        if (name.Length == 0)
        {
            yield return "name part must be non-empty";
        }
        else if (name.Length > 63)
        {
            yield return "name part must be no more than 63 characters";
        }

        if (!Qualified().IsMatch(name))
        {
            yield return "name part " + QualifiedNameRule;
        }
    }

    /// <summary>Problems with a ConfigMap or Secret key (IsConfigMapKey): what a file name in a volume may be.</summary>
    public static IEnumerable<string> ConfigMapKey(string value)
    {
        if (value.Length > 253)
        {
            yield return "must be no more than 253 characters";
        }

        if (!ConfigKey().IsMatch(value))
        {
            yield return "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
        }

        if (value == ".")
        {
            yield return "must not be '.'";
        }
        else if (value == "..")
        {
            yield return "must not be '..'";
        }
        else if (value.StartsWith("..", StringComparison.Ordinal))
        {
            yield return "must not start with '..'";
        }
    }

    /// <summary>Problems with a label value (empty, or 63 characters of the qualified-name alphabet).</summary>
    public static IEnumerable<string> LabelValue(string value)
    {
        if (value.Length > 63)
        {
            yield return "must be no more than 63 characters";
        }

        if (value.Length > 0 && !Qualified().IsMatch(value))
        {
            yield return "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
        }
    }

    [GeneratedRegex("^" + Dns1123SubdomainPattern + @"\z")]
    private static partial Regex Subdomain();

    [GeneratedRegex("^" + Dns1123LabelPattern + @"\z")]
    private static partial Regex Label1123();

    [GeneratedRegex("^" + Dns1035LabelPattern + @"\z")]
    private static partial Regex Label1035();

    [GeneratedRegex(@"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\z")]
    private static partial Regex Qualified();

    [GeneratedRegex(@"^[-._a-zA-Z0-9]+\z")]
    private static partial Regex ConfigKey();
}
