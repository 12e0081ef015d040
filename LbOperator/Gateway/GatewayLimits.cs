using System.Globalization;
using System.Text;
using k8s.Models;

namespace LbOperator.Gateway;

/// <summary>
/// What a container runtime can start. Linux refuses to <c>execve</c> a program when one argument or one
/// environment entry is longer than 32 pages (<c>MAX_ARG_STRLEN</c>, 131,072 bytes with the terminating NUL); a pod
/// whose script is longer never starts. The gateway's rules grow with sources plus ports, so only a Service with
/// thousands of source ranges or ports gets near the limit; such a Service is refused with a reason instead of
/// being given a pod that cannot run.
/// </summary>
public static class GatewayLimits
{
    /// <summary>Linux's <c>MAX_ARG_STRLEN</c>: the longest argument or <c>NAME=value</c> entry, NUL included.</summary>
    public const int MaxArgumentBytes = 131_072;

    /// <summary>The longest argument or environment entry of the pod template's containers and probes, in bytes with its NUL.</summary>
    public static int LongestArgumentBytes(V1Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var pod = deployment.Spec?.Template?.Spec;
        var containers = (pod?.InitContainers ?? []).Concat(pod?.Containers ?? []);
        var longest = 0;
        foreach (var container in containers)
        {
            var strings = (container.Command ?? [])
                .Concat(container.Args ?? [])
                .Concat((container.Env ?? []).Select(e => $"{e.Name}={e.Value}"))
                .Concat(container.ReadinessProbe?.Exec?.Command ?? [])
                .Concat(container.LivenessProbe?.Exec?.Command ?? []);
            foreach (var text in strings)
            {
                longest = Math.Max(longest, Encoding.UTF8.GetByteCount(text) + 1);
            }
        }

        return longest;
    }

    /// <summary>Null when every container of <paramref name="deployment"/> can start; else why not, for the user.</summary>
    public static string? Problem(V1Deployment deployment, int ports, int sourceRanges)
    {
        var longest = LongestArgumentBytes(deployment);
        static string Count(int n, string noun) => string.Create(CultureInfo.InvariantCulture, $"{n} {noun}{(n == 1 ? "" : "s")}");
        return longest <= MaxArgumentBytes
            ? null
            : string.Format(CultureInfo.InvariantCulture,
                "the gateway script for {0} and {1} is {2} bytes, more than Linux passes to a program in one argument ({3}), " +
                "so its pod could not start; merge source ranges into fewer CIDRs or split the ports over several Services",
                Count(ports, "port"), Count(sourceRanges, "source range"), longest, MaxArgumentBytes);
    }
}
