namespace LbOperator.Benchmarks.Scale;

/// <summary>Runs work for indices 0…count-1 on a fixed number of concurrent workers, each taking the next index when done.</summary>
public static class WorkerPool
{
    public static Task RunAsync(int count, int workers, Func<int, CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        var next = -1;
        return Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(
            async () =>
            {
                int index;
                while ((index = Interlocked.Increment(ref next)) < count)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    await work(index, cancellationToken);
                }
            },
            cancellationToken)));
    }
}
