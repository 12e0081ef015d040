namespace LbOperator.Framework.Runtime;

/// <summary>
/// The initial-sync barrier: passes once the first LIST of every watched kind has filled the caches in the current
/// leader term. No reconcile starts before it (so state rebuilt from the cluster, e.g. an address allocator, sees
/// every object before anything new is handed out).
/// </summary>
public interface IOperatorSynchronization
{
    bool IsSynced { get; }

    Task WaitForInitialSyncAsync(CancellationToken cancellationToken);
}
