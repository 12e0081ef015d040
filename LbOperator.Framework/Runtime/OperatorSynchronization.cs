namespace LbOperator.Framework.Runtime;

/// <summary>Counts the watched kinds whose first LIST of the current term is done.</summary>
internal sealed class OperatorSynchronization : IOperatorSynchronization
{
    private readonly Lock _lock = new();
    private HashSet<Type> _waitingFor = [];
    private TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsSynced => _synced.Task.IsCompletedSuccessfully;

    public Task WaitForInitialSyncAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _synced.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Starts a new term: every kind must list again.</summary>
    public void Reset(IEnumerable<Type> kinds)
    {
        lock (_lock)
        {
            _waitingFor = [.. kinds];
            if (_synced.Task.IsCompleted)
            {
                _synced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            if (_waitingFor.Count == 0)
            {
                _synced.TrySetResult();
            }
        }
    }

    public void KindSynced(Type kind)
    {
        lock (_lock)
        {
            if (_waitingFor.Remove(kind) && _waitingFor.Count == 0)
            {
                _synced.TrySetResult();
            }
        }
    }
}
