namespace LbOperator.Framework.Metrics;

/// <summary>How a reconcile ended, as controller-runtime's <c>result</c> label names it.</summary>
internal enum ReconcileOutcome
{
    /// <summary>Success without a requeue.</summary>
    Success,

    /// <summary>A thrown exception, a Failure result or a write conflict: retried with backoff.</summary>
    Error,

    /// <summary>Success asking to run again at once (RequeueAfter of zero).</summary>
    Requeue,

    /// <summary>Success asking to run again after a delay.</summary>
    RequeueAfter,
}

internal static class ReconcileOutcomes
{
    public static IReadOnlyList<ReconcileOutcome> All { get; } = Enum.GetValues<ReconcileOutcome>();

    public static string Label(ReconcileOutcome outcome) => outcome switch
    {
        ReconcileOutcome.Success => "success",
        ReconcileOutcome.Error => "error",
        ReconcileOutcome.Requeue => "requeue",
        ReconcileOutcome.RequeueAfter => "requeue_after",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    /// <summary>The outcome of a successful reconcile with <paramref name="requeueAfter"/>.</summary>
    public static ReconcileOutcome OfSuccess(TimeSpan? requeueAfter) => requeueAfter switch
    {
        null => ReconcileOutcome.Success,
        { } after when after > TimeSpan.Zero => ReconcileOutcome.RequeueAfter,
        _ => ReconcileOutcome.Requeue,
    };
}
