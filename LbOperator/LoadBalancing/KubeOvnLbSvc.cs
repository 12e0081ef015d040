using k8s.Models;

namespace LbOperator.LoadBalancing;

/// <summary>
/// Whether Kube-OVN's own lb-svc runs. kube-ovn-controller started with <c>--enable-lb-svc=true</c> serves every
/// LoadBalancer Service that carries the attachment-provider annotation, exactly the Services LbOperator serves: two
/// gateways would announce one address, and both would claim the Deployment <c>lb-svc-&lt;service&gt;</c>. So while
/// it runs, LbOperator serves none of them.
/// </summary>
public static class KubeOvnLbSvc
{
    /// <summary>Where Kube-OVN's chart runs its controller.</summary>
    public const string ControllerNamespace = "kube-system";

    public const string ControllerName = "kube-ovn-controller";

    public const string Flag = "--enable-lb-svc";

    /// <summary>
    /// True when a container of <paramref name="controller"/> passes the flag as true. Go's flag package reads
    /// <c>-flag</c>, <c>--flag</c> (true) and <c>--flag=value</c> with strconv.ParseBool's words, the last one
    /// counting; the default is false. Arguments are split at white space, for a flag inside a shell command.
    /// </summary>
    public static bool IsEnabled(V1Deployment? controller)
    {
        var enabled = false;
        foreach (var container in controller?.Spec?.Template?.Spec?.Containers ?? [])
        {
            var words = (container.Command ?? []).Concat(container.Args ?? [])
                .SelectMany(a => a.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            foreach (var word in words)
            {
                if (Value(word) is { } value)
                {
                    enabled = value;
                }
            }
        }

        return enabled;
    }

    /// <summary>What the Service's condition and Warning say while Kube-OVN's lb-svc runs.</summary>
    public static string Message(V1Service service) =>
        $"Service {ServiceNames.Display(service)} is not served: {ControllerNamespace}/{ControllerName} runs with {Flag}=true and " +
        $"serves it too (two gateways would announce one address); set {Flag}=false on {ControllerName} (docs/kube-ovn.md)";

    private static bool? Value(string word)
    {
        var flag = word.StartsWith("--", StringComparison.Ordinal) ? word[2..] : word.StartsWith('-') ? word[1..] : null;
        if (flag is null)
        {
            return null;
        }

        var name = Flag[2..];
        if (flag == name)
        {
            return true;
        }

        if (!flag.StartsWith(name + "=", StringComparison.Ordinal))
        {
            return null;
        }

        // strconv.ParseBool; anything else makes kube-ovn-controller refuse to start, so it serves nothing.
        return flag[(name.Length + 1)..] switch
        {
            "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
            _ => false,
        };
    }
}
