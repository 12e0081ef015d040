using k8s;
using k8s.Autorest;
using k8s.Models;
using LbOperator.Sandbox;

namespace LbOperator.Tests.Sandbox;

/// <summary>One in-process sandbox per fixture; each test gets its own namespace.</summary>
public abstract class SandboxTestBase
{
    protected RunningSandbox Sandbox { get; private set; } = null!;

    protected Kubernetes Client { get; private set; } = null!;

    /// <summary>The namespace created for the current test.</summary>
    protected string Ns { get; private set; } = "";

    protected virtual SandboxOptions Options => new() { BookmarkInterval = TimeSpan.FromMilliseconds(300), RandomSeed = 7, EnableFaultEndpoint = true };

    [OneTimeSetUp]
    public async Task StartSandbox()
    {
        Sandbox = await SandboxServer.StartAsync(Options);
        Client = Sandbox.CreateClient();
    }

    [OneTimeTearDown]
    public async Task StopSandbox()
    {
        Client.Dispose();
        await Sandbox.DisposeAsync();
    }

    [SetUp]
    public async Task CreateNamespace()
    {
        Sandbox.Faults.Reset();
        Ns = "t-" + Guid.NewGuid().ToString("N")[..10];
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Ns } });
    }

    protected static async Task<HttpOperationException> Fails(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (HttpOperationException e)
        {
            return e;
        }

        throw new AssertionException("the call was expected to fail but succeeded");
    }

    /// <summary>Polls until <paramref name="condition"/> holds, failing after <paramref name="timeoutSeconds"/>.</summary>
    protected static async Task<T> Eventually<T>(Func<Task<T>> probe, Func<T, bool> condition, string what, double timeoutSeconds = 5)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        HttpOperationException? lastError = null;
        do
        {
            try
            {
                var value = await probe();
                if (condition(value))
                {
                    return value;
                }
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                // Not there yet: controllers work asynchronously.
                lastError = e;
            }

            await Task.Delay(20);
        }
        while (DateTime.UtcNow < deadline);

        throw new AssertionException($"timed out waiting for {what}{(lastError is null ? "" : $" (last answer: {lastError.Response.Content})")}");
    }

    protected static V1ConfigMap ConfigMap(string name, Dictionary<string, string>? labels = null, Dictionary<string, string>? data = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Data = data ?? new Dictionary<string, string> { ["k"] = "v" },
    };
}
