using System.Text.Json;
using k8s.Models;

namespace LbOperator.Sandbox.Nodes;

/// <summary>
/// The <c>podman run</c> command line that runs one container of a pod from its image the way a Kubernetes node's
/// container runtime would: inside the pod's network namespace, with the pod spec's command and arguments, its
/// environment, and the privileges, capabilities, user and read-only root its security contexts ask for. Pure.
/// </summary>
public static class ImageContainerCommand
{
    /// <summary>Label on every container the node runs, valued with the simulation's prefix, so leftovers are found.</summary>
    public const string PrefixLabel = "sandbox.lboperator.io/prefix";

    /// <summary>
    /// The capabilities containerd (and Docker) give a container whose spec adds or drops none; a pod spec's
    /// <c>add</c> and <c>drop</c> apply to this set. Podman's own default set is smaller (no NET_RAW), so the
    /// command always states the full set.
    /// </summary>
    public static IReadOnlyList<string> DefaultCapabilities { get; } =
    [
        "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE",
        "NET_RAW", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
    ];

    /// <summary>
    /// <c>podman run --rm ... IMAGE [ARGS]</c> for <paramref name="container"/> of <paramref name="pod"/>, named
    /// <paramref name="name"/> and joined to the network namespace at <paramref name="networkNamespacePath"/>.
    /// The image is never pulled: the caller runs this only for images already in local storage.
    /// </summary>
    public static IReadOnlyList<string> Run(
        string podman, string name, string prefix, string networkNamespacePath, V1Pod pod, V1Container container, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(environment);
        var security = container.SecurityContext;
        var podSecurity = pod.Spec?.SecurityContext;
        List<string> command =
        [
            podman, "run", "--rm", "--replace", "--name", name, "--label", $"{PrefixLabel}={prefix}",
            "--pull", "never", "--network", $"ns:{networkNamespacePath}", "--hostname", pod.Metadata.Name,
        ];

        if (security?.Privileged == true)
        {
            command.Add("--privileged");
        }
        else
        {
            command.Add("--cap-drop=all");
            command.AddRange(Capabilities(security?.Capabilities).Select(c => $"--cap-add={c}"));
        }

        // Kubernetes sets no_new_privs only when asked; privileged containers may always escalate.
        if (security?.AllowPrivilegeEscalation == false && security.Privileged != true)
        {
            command.AddRange(["--security-opt", "no-new-privileges"]);
        }

        if (User(security, podSecurity) is { } user)
        {
            command.AddRange(["--user", user]);
        }

        foreach (var group in podSecurity?.SupplementalGroups ?? [])
        {
            command.AddRange(["--group-add", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{group}")]);
        }

        if (security?.ReadOnlyRootFilesystem == true)
        {
            // Kubernetes adds no writable /tmp or /run of its own to a read-only root; podman would, unless told not to.
            command.AddRange(["--read-only", "--read-only-tmpfs=false"]);
        }

        foreach (var mount in EmptyDirMounts(pod, container))
        {
            command.AddRange(["--tmpfs", mount]);
        }

        if (!string.IsNullOrEmpty(container.WorkingDir))
        {
            command.AddRange(["--workdir", container.WorkingDir]);
        }

        foreach (var (variable, value) in environment)
        {
            command.AddRange(["--env", $"{variable}={value}"]);
        }

        // A pod spec's command replaces the image's entry point and drops its default arguments, as --entrypoint does.
        if (container.Command is { Count: > 0 } entryPoint)
        {
            command.AddRange(["--entrypoint", JsonSerializer.Serialize(entryPoint)]);
        }

        command.Add(container.Image);
        command.AddRange(container.Args ?? []);
        return command;
    }

    /// <summary><c>podman exec NAME COMMAND...</c>: a probe run inside the running container.</summary>
    public static IReadOnlyList<string> Exec(string podman, string name, IReadOnlyList<string> probe) => [podman, "exec", name, .. probe];

    /// <summary>
    /// The capabilities the container gets: containerd's defaults (none when <c>drop</c> names <c>ALL</c>) without
    /// those dropped, plus those added; upper case without the <c>CAP_</c> prefix, sorted.
    /// </summary>
    public static IReadOnlyList<string> Capabilities(V1Capabilities? capabilities)
    {
        static string Normalize(string capability)
        {
            var upper = capability.ToUpperInvariant();
            return upper.StartsWith("CAP_", StringComparison.Ordinal) ? upper[4..] : upper;
        }

        var drop = (capabilities?.Drop ?? []).Select(Normalize).ToHashSet(StringComparer.Ordinal);
        var result = drop.Contains("ALL") ? [] : DefaultCapabilities.Where(c => !drop.Contains(c)).ToHashSet(StringComparer.Ordinal);
        result.UnionWith((capabilities?.Add ?? []).Select(Normalize).Where(c => c != "ALL"));
        return [.. result.Order(StringComparer.Ordinal)];
    }

    /// <summary><c>uid</c> or <c>uid:gid</c> from the container's security context, else the pod's; null leaves the image's user.</summary>
    private static string? User(V1SecurityContext? container, V1PodSecurityContext? pod)
    {
        var user = container?.RunAsUser ?? pod?.RunAsUser;
        var group = container?.RunAsGroup ?? pod?.RunAsGroup;
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        return user is null ? null : group is null ? string.Create(invariant, $"{user}") : string.Create(invariant, $"{user}:{group}");
    }

    /// <summary>
    /// The container's emptyDir mounts as tmpfs mounts, writable by any user and executable like an emptyDir
    /// (other volume types are not simulated).
    /// </summary>
    private static IEnumerable<string> EmptyDirMounts(V1Pod pod, V1Container container)
    {
        var emptyDirs = (pod.Spec?.Volumes ?? []).Where(v => v.EmptyDir is not null).Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        return (container.VolumeMounts ?? []).Where(m => emptyDirs.Contains(m.Name)).Select(m => $"{m.MountPath}:rw,exec,mode=1777");
    }
}
