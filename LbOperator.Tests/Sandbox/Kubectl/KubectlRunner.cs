using LbOperator.Tests.Testing;
using System.Diagnostics;
using System.Text;

namespace LbOperator.Tests.Sandbox.Kubectl;

/// <summary>What one kubectl invocation printed and returned.</summary>
public sealed record KubectlResult(string CommandLine, int ExitCode, string StdOut, string StdErr)
{
    public override string ToString() => $"$ {CommandLine}\nexit {ExitCode}\n--- stdout\n{StdOut}\n--- stderr\n{StdErr}";
}

/// <summary>
/// Runs the real <c>kubectl</c> as a child process against a kubeconfig (with its own cache directory, so runs do
/// not see each other's discovery caches), with a timeout, capturing stdout and stderr.
/// </summary>
public sealed class KubectlRunner(string kubeconfigPath, string cacheDirectory)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The kubectl binary on PATH (or /usr/bin/kubectl), or null when there is none.</summary>
    public static string? FindKubectl()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin")
            .Select(dir => Path.Combine(dir, "kubectl"))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// Fails the test when kubectl is missing under CI (CI=true), and ignores it with the reason otherwise.
    /// </summary>
    public static string RequireKubectl()
    {
        if (FindKubectl() is { } kubectl)
        {
            return kubectl;
        }

        const string reason = "needs kubectl: install kubectl 1.32 on PATH";
        MachineRequirement.Unmet(reason);
        return "";
    }

    /// <summary>Runs kubectl and returns whatever happened, without asserting the exit code.</summary>
    public async Task<KubectlResult> RunAsync(IEnumerable<string> arguments, string? stdin = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var kubectl = RequireKubectl();
        var start = new ProcessStartInfo(kubectl)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        var args = arguments.ToList();
        foreach (var argument in args.Append($"--cache-dir={cacheDirectory}"))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["KUBECONFIG"] = kubeconfigPath;
        start.Environment["KUBECTL_INTERACTIVE_DELETE"] = "false";
        var commandLine = "kubectl " + string.Join(' ', args);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {kubectl}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(new StringBuilder(stdin), cancellationToken);
        }

        process.StandardInput.Close();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{commandLine} did not finish within {(timeout ?? DefaultTimeout).TotalSeconds}s\n--- stdout\n{await stdout}\n--- stderr\n{await stderr}");
        }

        return new KubectlResult(commandLine, process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs kubectl, asserts it succeeded and returns its stdout.</summary>
    public async Task<string> RunOkAsync(params string[] arguments)
    {
        var result = await RunAsync(arguments);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        return result.StdOut;
    }

    /// <summary>Runs kubectl with <paramref name="stdin"/> as input (for <c>-f -</c>), asserts it succeeded and returns its stdout.</summary>
    public async Task<string> RunOkWithInputAsync(string stdin, params string[] arguments)
    {
        var result = await RunAsync(arguments, stdin);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        return result.StdOut;
    }

    /// <summary>Runs kubectl, asserts it failed and returns the result (stderr carries the error).</summary>
    public async Task<KubectlResult> RunFailingAsync(params string[] arguments)
    {
        var result = await RunAsync(arguments);
        Assert.That(result.ExitCode, Is.Not.Zero, result.ToString());
        return result;
    }
}
