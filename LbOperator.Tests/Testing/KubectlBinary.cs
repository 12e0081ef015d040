using System.Diagnostics;

namespace LbOperator.Tests.Testing;

/// <summary>
/// Runs the machine's kubectl. Tests that need it call <see cref="Require"/>: without kubectl they fail under
/// CI=true and are ignored (with the reason) elsewhere.
/// </summary>
internal static class KubectlBinary
{
    public static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => System.IO.Path.Combine(dir, "kubectl"))
            .FirstOrDefault(File.Exists);

    public static string Require()
    {
        var path = Find();
        if (path is not null)
        {
            return path;
        }

        const string reason = "needs the kubectl binary on PATH";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(reason);
        }

        Assert.Ignore(reason);
        return string.Empty;
    }

    /// <summary>Runs kubectl with the arguments; returns exit code, stdout and stderr.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        IEnumerable<string> args, string? kubeconfig, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Require())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Never reach a real cluster: without a kubeconfig of the test's own, point at an empty one.
        start.Environment["KUBECONFIG"] = kubeconfig ?? "/dev/null";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await stdout, await stderr);
    }
}
