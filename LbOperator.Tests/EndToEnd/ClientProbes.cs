using System.Globalization;
using LbOperator.Sandbox.Nodes;

namespace LbOperator.Tests.EndToEnd;

/// <summary>
/// What the end-to-end tests see from the client namespace: a load balancer address probed with a new TCP connection
/// every 10 ms, curl until it answers, and waiting for a condition to hold.
/// </summary>
internal static class ClientProbes
{
    /// <summary>A new TCP connection every 10 ms (200 ms timeout each), one line per probe: "1 &lt;ns&gt;" answered, "0 &lt;ns&gt;" not.</summary>
    public static string ProbeScript(string address, int port, string stopFile) =>
        $"while [ ! -e {stopFile} ]; do t=$(date +%s%N); " +
        $"if timeout 0.2 bash -c 'exec 3<>/dev/tcp/{address}/{port}' 2>/dev/null; then echo \"1 $t\"; else echo \"0 $t\"; fi; sleep 0.01; done";

    public static List<(bool Answered, DateTime At)> ParseProbes(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ')).Where(parts => parts.Length == 2)
            .Select(parts => (parts[0] == "1", DateTime.UnixEpoch.AddTicks(long.Parse(parts[1], CultureInfo.InvariantCulture) / 100)))];

    /// <summary>curl from the client namespace until it answers (the gateway's address may still be on its way).</summary>
    public static async Task<string> CurlEventuallyAsync(NetworkNamespace client, string url) =>
        (await Eventually(() => client.ExecAsync(["curl", "-sS", "--max-time", "3", url], CancellationToken.None, timeout: TimeSpan.FromSeconds(10)),
            r => r.ExitCode == 0, $"curl {url} from {client.Name} to succeed")).StandardOutput;

    /// <summary>Polls <paramref name="probe"/> every 100 ms until <paramref name="condition"/> holds, for at most 90 s.</summary>
    public static async Task<T> Eventually<T>(Func<Task<T>> probe, Func<T, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        T last;
        do
        {
            last = await probe();
            if (condition(last))
            {
                return last;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        throw new AssertionException($"timed out after 90s waiting for {what}; last seen: {last}");
    }
}
