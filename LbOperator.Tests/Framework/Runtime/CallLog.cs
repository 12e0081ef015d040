using System.Collections.Concurrent;

namespace LbOperator.Tests.Framework.Runtime;

/// <summary>What the test controllers and finalizers were called with, by which operator instance.</summary>
internal sealed class CallLog
{
    private readonly ConcurrentQueue<Call> _calls = new();

    public IReadOnlyList<Call> Calls => [.. _calls];

    public void Add(string instance, string method, string name) => _calls.Enqueue(new Call(instance, method, name));

    public int Count(string method, string name) => _calls.Count(c => c.Method == method && c.Name == name);

    public sealed record Call(string Instance, string Method, string Name);
}
