using LbOperator.Sandbox.Nodes;

namespace LbOperator.Tests.Testing;

/// <summary>
/// Tests that run the project's images need podman and the image in its local storage (<c>make images</c>, root,
/// builds both; <c>make test</c> does it first). Missing, the test fails under CI=true and is ignored elsewhere.
/// </summary>
internal static class LocalImages
{
    /// <summary>The podman runtime with <paramref name="image"/> in its storage; the image's ID.</summary>
    public static async Task<(PodmanRuntime Podman, string ImageId)> RequireAsync(string image)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            MachineRequirement.Unmet($"needs root: the image {image} lives in podman's rootful storage (make images)");
        }
        var podman = PodmanRuntime.Find();
        if (podman is null)
        {
            MachineRequirement.Unmet("needs podman (make deps installs podman, runc and debootstrap as root)");
        }
        var id = await podman!.ImageIdAsync(image, CancellationToken.None);
        if (id is null)
        {
            MachineRequirement.Unmet($"needs the image {image} in podman's local storage: run make images (root; make test builds it first)");
        }
        return (podman, id!);
    }

    /// <summary>Names of the containers (running or not) carrying the node simulation's label for <paramref name="prefix"/>.</summary>
    public static async Task<IReadOnlyList<string>> LabelledContainersAsync(string prefix)
    {
        var result = await CommandRunner.RunAsync(
            ["podman", "ps", "--all", "--format", "{{.Names}}", "--filter", $"label={ImageContainerCommand.PrefixLabel}={prefix}"], CancellationToken.None);
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
