namespace LbOperator.Framework.Runtime;

/// <summary>
/// Runs each time this replica starts reconciling (every leader term): after the initial LIST of every watched kind
/// has filled the caches and before the first reconcile. The place to rebuild in-memory state from
/// <see cref="Watcher.IEntityCache{TEntity}"/>. A task that throws is retried with backoff and nothing is
/// reconciled meanwhile; readiness stays false. Tasks run in registration order; they must be idempotent.
/// </summary>
public interface IOperatorStartupTask
{
    Task RunAsync(CancellationToken cancellationToken);
}
