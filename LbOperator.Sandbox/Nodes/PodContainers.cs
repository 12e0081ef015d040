using System.Globalization;
using k8s.Models;

namespace LbOperator.Sandbox.Nodes;

/// <summary>How a container of a pod spec runs on a simulated node. Pure.</summary>
public static class PodContainers
{
    /// <summary>
    /// The container's command line as the spec gives it: <c>command</c> followed by <c>args</c>. Null when the
    /// spec leaves both to the image, which cannot run here: such containers are served by the hello-world responder.
    /// </summary>
    public static IReadOnlyList<string>? CommandLine(V1Container container)
    {
        var command = (container.Command ?? []).Concat(container.Args ?? []).ToList();
        return command.Count == 0 ? null : command;
    }

    /// <summary>The UDP ports the echo responder listens on for an image-only container: its declared UDP ports.</summary>
    public static IReadOnlyList<int> UdpResponderPorts(V1Container container) =>
        [.. (container.Ports ?? []).Where(p => p.Protocol == "UDP").Select(p => p.ContainerPort).Distinct()];

    /// <summary>The TCP ports the responder listens on for an image-only container: its declared ports, else 80.</summary>
    public static IReadOnlyList<int> ResponderPorts(V1Container container)
    {
        var ports = (container.Ports ?? [])
            .Where(p => p.Protocol is null or "TCP")
            .Select(p => p.ContainerPort)
            .Distinct()
            .ToList();
        return ports.Count == 0 ? [80] : ports;
    }

    /// <summary>
    /// The container's environment: literal values, and the downward-API fields a pod can know about itself
    /// (name, namespace, pod IP, node name); other sources are left out.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Environment(V1Container container, V1Pod pod, IReadOnlyList<System.Net.IPAddress> podIps, string nodeName)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in container.Env ?? [])
        {
            var value = variable.Value ?? variable.ValueFrom?.FieldRef?.FieldPath switch
            {
                "metadata.name" => pod.Metadata.Name,
                "metadata.namespace" => pod.Metadata.NamespaceProperty,
                "status.podIP" => podIps.Count > 0 ? podIps[0].ToString() : null,
                "status.podIPs" => string.Join(',', podIps),
                "spec.nodeName" => nodeName,
                _ => null,
            };
            if (value is not null)
            {
                environment[variable.Name] = value;
            }
        }
        environment["HOSTNAME"] = pod.Metadata.Name;
        return environment;
    }

    /// <summary>The readiness probe's exec command, when the container has one.</summary>
    public static IReadOnlyList<string>? ReadinessCommand(V1Container container) =>
        container.ReadinessProbe?.Exec?.Command is { Count: > 0 } command ? command.ToList() : null;

    public static string Describe(V1Pod pod) =>
        string.Create(CultureInfo.InvariantCulture, $"{pod.Metadata.NamespaceProperty ?? "default"}/{pod.Metadata.Name}");
}
