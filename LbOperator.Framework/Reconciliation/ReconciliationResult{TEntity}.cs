using System.Diagnostics.CodeAnalysis;
using k8s;
using k8s.Models;

namespace LbOperator.Framework.Reconciliation;

/// <summary>
/// The outcome of a reconcile, finalize or deleted call (KubeOps' result type). <see cref="Entity"/> is the latest
/// version of the object the callee holds (the one a write returned), so the runtime continues with it.
/// A <see cref="Failure"/> is retried with exponential backoff unless <see cref="RequeueAfter"/> says when.
/// </summary>
public sealed record ReconciliationResult<TEntity>
    where TEntity : IKubernetesObject<V1ObjectMeta>
{
    private ReconciliationResult(TEntity entity, bool isSuccess, string? errorMessage, Exception? error, TimeSpan? requeueAfter)
    {
        Entity = entity;
        IsSuccess = isSuccess;
        ErrorMessage = errorMessage;
        Error = error;
        RequeueAfter = requeueAfter;
    }

    public TEntity Entity { get; }

    [MemberNotNullWhen(false, nameof(ErrorMessage))]
    public bool IsSuccess { get; }

    public string? ErrorMessage { get; }

    public Exception? Error { get; }

    /// <summary>When set, the object is reconciled again after this delay (for Success and Failure alike).</summary>
    public TimeSpan? RequeueAfter { get; set; }

    public static ReconciliationResult<TEntity> Success(TEntity entity, TimeSpan? requeueAfter = null) =>
        new(entity, true, null, null, requeueAfter);

    public static ReconciliationResult<TEntity> Failure(
        TEntity entity, string errorMessage, Exception? error = null, TimeSpan? requeueAfter = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(errorMessage);
        return new(entity, false, errorMessage, error, requeueAfter);
    }
}
