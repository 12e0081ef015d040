namespace LbOperator.Sandbox.Nodes;

/// <summary>
/// Podman on this machine, as the node simulation uses it: which images its local storage holds, and removing the
/// containers the node started. Nothing is ever pulled; a container whose image is not here keeps the node's
/// stand-ins (see <see cref="SimulatedNode"/>).
/// </summary>
public sealed class PodmanRuntime
{
    private static readonly TimeSpan RemoveTimeout = TimeSpan.FromSeconds(30);

    private PodmanRuntime(string program) => Program = program;

    /// <summary>The podman executable found on PATH: the first word of every command line run with it.</summary>
    public string Program { get; }

    /// <summary>Podman when it is on PATH, else null.</summary>
    public static PodmanRuntime? Find() => NodeRequirements.FindOnPath("podman") is { } program ? new PodmanRuntime(program) : null;

    /// <summary>The image's ID when local storage has <paramref name="image"/>; null when it does not (or podman cannot tell).</summary>
    public async Task<string?> ImageIdAsync(string? image, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(image))
        {
            return null;
        }
        var result = await CommandRunner.RunAsync([Program, "image", "inspect", "--format", "{{.Id}}", image], cancellationToken);
        var id = result.StandardOutput.Trim();
        return result.ExitCode == 0 && id.Length > 0 ? id : null;
    }

    /// <summary>Stops (SIGTERM, then SIGKILL after <paramref name="grace"/>) and removes a container; an unknown name is no error.</summary>
    public Task RemoveAsync(string name, TimeSpan grace, CancellationToken cancellationToken) =>
        CommandRunner.RunAsync(
            [Program, "rm", "--force", "--ignore", "--time", ((int)grace.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture), name],
            cancellationToken, timeout: RemoveTimeout);

    /// <summary>Removes every container labelled with this prefix: what a crashed run of the same prefix left.</summary>
    public async Task<IReadOnlyList<string>> RemoveLabelledAsync(string prefix, CancellationToken cancellationToken)
    {
        var listed = await CommandRunner.RunAsync(
            [Program, "ps", "--all", "--format", "{{.Names}}", "--filter", $"label={ImageContainerCommand.PrefixLabel}={prefix}"], cancellationToken);
        var names = listed.ExitCode == 0
            ? listed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];
        foreach (var name in names)
        {
            await RemoveAsync(name, TimeSpan.Zero, cancellationToken);
        }
        return names;
    }

    /// <summary>The first line of <c>podman --version</c>, for the sandbox's start-up lines.</summary>
    public async Task<string> VersionAsync(CancellationToken cancellationToken)
    {
        var result = await CommandRunner.RunAsync([Program, "--version"], cancellationToken);
        return result.ExitCode == 0 ? result.StandardOutput.Trim() : "podman (version unknown)";
    }
}
