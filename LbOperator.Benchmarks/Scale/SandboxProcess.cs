using System.Text.RegularExpressions;
using k8s;

namespace LbOperator.Benchmarks.Scale;

/// <summary>The sandbox API server as a process of its own (<c>LbOperator.Sandbox.Host --no-operator</c>).</summary>
public sealed partial class SandboxProcess : IDisposable
{
    /// <summary>The benchmark client's User-Agent; its product token is what the sandbox counts it under.</summary>
    public const string Agent = "lb-bench";

    private readonly ChildProcess _process;
    private readonly HttpClient _http;

    private SandboxProcess(ChildProcess process, Uri baseAddress, string kubeconfig)
    {
        _process = process;
        BaseAddress = baseAddress;
        Kubeconfig = kubeconfig;
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public string Kubeconfig { get; }

    public double CpuSeconds => _process.CpuSeconds;

    public static async Task<SandboxProcess> StartAsync(ChildProcessGuard guard, BenchPaths paths, string directory, CancellationToken cancellationToken)
    {
        var kubeconfig = Path.Combine(directory, "kubeconfig");
        var process = guard.Start(
            "sandbox", "dotnet", [paths.SandboxHost, "--no-operator", "--port", "0", "--kubeconfig", kubeconfig], Path.Combine(directory, "sandbox.log"));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the sandbox exited before it was ready; its log ({process.LogPath}):{Environment.NewLine}{process.Tail()}");
            }

            if (File.Exists(process.LogPath) && Ready().Match(await ReadSharedAsync(process.LogPath, cancellationToken)) is { Success: true } ready)
            {
                return new SandboxProcess(process, new Uri(ready.Groups[1].Value), kubeconfig);
            }

            await Task.Delay(50, cancellationToken);
        }

        throw new TimeoutException($"the sandbox was not ready within 60 s; its log: {process.LogPath}");
    }

    /// <summary>A client that identifies itself as <see cref="Agent"/>.</summary>
    public Kubernetes CreateClient() =>
        new(KubernetesClientConfiguration.BuildConfigFromConfigFile(Kubeconfig), new UserAgentHandler($"{Agent}/1.0"));

    /// <summary>The API requests counted since the last reset; with <paramref name="reset"/> the counts go back to zero in the same step.</summary>
    public async Task<RequestTally> RequestsAsync(bool reset, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(reset ? HttpMethod.Delete : HttpMethod.Get, "/sandbox/requests");
        using var response = await _http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return RequestTally.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
    }

    public Task<bool> StopAsync(CancellationToken cancellationToken) => _process.StopAsync(TimeSpan.FromSeconds(10), cancellationToken);

    public void Dispose()
    {
        _http.Dispose();
        _process.Dispose();
    }

    private static async Task<string> ReadSharedAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    [GeneratedRegex(@"sandbox ready at (\S+)")]
    private static partial Regex Ready();
}
